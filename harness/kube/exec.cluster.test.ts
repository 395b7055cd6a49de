// Exec, logs and events need a kubelet: these run on the real kind test cluster
// (the `cluster` tier; its globalSetup provides the kubeconfig).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { k8sImageSet, readVersions } from '../images/versions.ts';
import { Kube } from './client.ts';
import { KubeApiError, WaitTimeoutError } from './errors.ts';
import type { KubeObject } from './types.ts';

const kubeconfig = inject('kubeconfig') ?? '';
const skipReason = inject('clusterSkipReason') || (kubeconfig ? '' : 'no test cluster kubeconfig was provided');
const ns = `kconform-exec-${randomBytes(3).toString('hex')}`;
const agnhost = k8sImageSet(readVersions()).agnhost;

type PodLike = KubeObject & { status?: { phase?: string; conditions?: { type: string; status: string }[] } };

describe.skipIf(skipReason !== '')('exec, logs and events on a real cluster', () => {
  let kube: Kube;

  beforeAll(async () => {
    kube = Kube.fromKubeconfig({ kubeconfig });
    await kube.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'shell', namespace: ns },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            { name: 'main', image: agnhost, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo hello-1; echo hello-2; exec /agnhost pause'] },
            { name: 'side', image: agnhost, imagePullPolicy: 'IfNotPresent', args: ['pause'] },
          ],
        },
      },
    ]);
    await kube.waitFor<PodLike>(
      'v1',
      'Pod',
      { namespace: ns, name: 'shell' },
      (pods) => {
        const p = pods[0];
        const ready = p?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
        return { done: ready, observed: p ? `phase ${p.status?.phase ?? '?'}, ready ${ready}` : 'no pod' };
      },
      { description: `Pod shell (ns ${ns}) to be Ready`, timeoutMs: 180_000 },
    );
  });

  afterAll(async () => {
    await kube?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    await kube?.close();
  });

  it('returns stdout, stderr and the exit code', async () => {
    const r = await kube.exec({ namespace: ns, name: 'shell' }, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
    expect((await kube.exec({ namespace: ns, name: 'shell', container: 'side' }, ['true'])).exitCode).toBe(0);
  });

  it('feeds stdin', async () => {
    const r = await kube.exec({ namespace: ns, name: 'shell' }, ['cat'], { stdin: 'piped text' });
    expect(r.stdout).toBe('piped text');
    expect(r.exitCode).toBe(0);
  });

  it('times out a command that does not finish, with the output so far', async () => {
    const err = await kube.exec({ namespace: ns, name: 'shell' }, ['sh', '-c', 'echo started; sleep 30'], { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toContain('started');
  });

  it('says when the command cannot run at all', async () => {
    const err = await kube.exec({ namespace: ns, name: 'shell' }, ['/no/such/binary']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as Error).message).toMatch(/no such file|not found/i);
    expect((err as Error).message).not.toContain('\n');
  });

  it('reads the logs of a container, and their tail', async () => {
    const all = await kube.logs(ns, 'shell', { container: 'main' });
    expect(all).toContain('hello-1\nhello-2\n');
    const last = await kube.logs(ns, 'shell', { container: 'main', tailLines: 1 });
    expect(last.trim().split('\n')).toHaveLength(1);
  });

  it('lists the pod\'s events in time order', async () => {
    const events = await kube.events(ns, { kind: 'Pod', name: 'shell' });
    const reasons = events.map((e) => e.reason);
    expect(reasons).toContain('Scheduled');
    expect(reasons).toContain('Started');
    expect(reasons.indexOf('Scheduled')).toBeLessThan(reasons.indexOf('Started'));
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort());
  });
});
