import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../types.ts';
import type { KubeObject } from '../../kube/types.ts';
import { SHARED_CLIENT_POD, sharedClientOf, startProbeClient, waitWithClient } from './shared-client.ts';

const pod = (name: string, check: string, ready: boolean, waiting?: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: { 'kconform.io/check': check } },
    status: {
      phase: ready ? 'Running' : 'Pending',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      ...(waiting ? { containerStatuses: [{ name: 'agnhost', ready: false, state: { waiting: { reason: waiting } } }] } : {}),
    },
  }) as KubeObject;

/** A context whose cluster holds `pods`; waits see them at once (no watch), creates are recorded. */
function context(pods: KubeObject[], shared: boolean): { ctx: CheckContext; created: string[] } {
  const created: string[] = [];
  const matches = (p: KubeObject, sel: string) => sel.split(',').every((kv) => { const [k, v] = kv.split('='); return p.metadata.labels?.[k!] === v; });
  const kube = {
    create: async (o: KubeObject) => (created.push(o.metadata.name!), o),
    delete: async () => undefined,
    list: async (_v: string, _k: string, o: { labelSelector: string }) => pods.filter((p) => matches(p, o.labelSelector)),
    waitFor: async (_v: string, _k: string, o: { labelSelector: string }, judge: (pods: KubeObject[]) => unknown) => {
      const seen = pods.filter((p) => matches(p, o.labelSelector));
      judge(seen);
      return seen;
    },
  };
  const ctx = {
    kube, namespace: 'ns', log: () => undefined, signal: new AbortController().signal, images: { agnhost: 'agn' },
    cleanup: { add: () => () => undefined },
    ...(shared ? { sharedClient: sharedClientOf() } : {}),
  } as unknown as CheckContext;
  return { ctx, created };
}

describe('a check\'s probe client', () => {
  it('is the suite\'s shared one when the runner started it: nothing is created', async () => {
    const { ctx, created } = context([], true);
    expect(await startProbeClient(ctx, { name: 'dns-client', labels: {} })).toEqual({ pod: SHARED_CLIENT_POD, shared: sharedClientOf() });
    expect(created).toEqual([]);
  });

  it('is a pod of the check\'s own without a runner (the broken-cluster tests run this way)', async () => {
    const { ctx, created } = context([], false);
    expect(await startProbeClient(ctx, { name: 'dns-client', labels: {} })).toEqual({ pod: 'dns-client' });
    expect(created).toEqual(['dns-client']);
  });

  it('waits for the check\'s pods and the shared client together, and names a shared client that is not Ready as the suite\'s', async () => {
    const pods = [pod('dns-0', 'dns', true), pod(SHARED_CLIENT_POD, 'suite.shared', false, 'ImagePullBackOff')];
    pods[1]!.metadata.labels!['kconform.io/role'] = 'client';
    const { ctx } = context(pods, true);
    const r = await waitWithClient(ctx, ['dns-0'], 'kconform.io/check=dns', { pod: SHARED_CLIENT_POD, shared: sharedClientOf() }, 1_000);
    expect(r.notReady).toEqual([{ name: SHARED_CLIENT_POD, state: expect.stringMatching(/^ImagePullBackOff.*\(the suite's shared client\)$/) }]);
    expect([...r.pods.keys()].sort()).toEqual(['dns-0', SHARED_CLIENT_POD].sort());
  });

  it('passes when both are Ready', async () => {
    const pods = [pod('dns-0', 'dns', true), pod(SHARED_CLIENT_POD, 'suite.shared', true)];
    pods[1]!.metadata.labels!['kconform.io/role'] = 'client';
    const { ctx } = context(pods, true);
    expect((await waitWithClient(ctx, ['dns-0'], 'kconform.io/check=dns', { pod: SHARED_CLIENT_POD, shared: sharedClientOf() }, 1_000)).notReady).toEqual([]);
  });
});
