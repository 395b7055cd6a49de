// exec on the real testbed: in a pod's containers (a shared volume shows the
// same inode in both, separate volumes do not), the nonce in the command, and
// on every node through a privileged debug pod.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestCluster } from '../common/test-context.ts';
import { probeImages } from '../../images/probe-images.ts';
import type { KubeObject } from '../../kube/types.ts';
import { execCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

function twoContainers(ns: string, name: string, shared: boolean): KubeObject {
  const c = (n: string, vol: string) => ({ name: n, image: probeImages().agnhost, args: ['pause'], volumeMounts: [{ name: vol, mountPath: '/data' }] });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [c('a', 'one'), c('b', shared ? 'one' : 'two')],
      volumes: [{ name: 'one', emptyDir: {} }, { name: 'two', emptyDir: {} }],
    },
  };
}

describe.skipIf(!kubeconfig)(`exec on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'exec');
    await tc.kube.apply([twoContainers(tc.namespace, 'shared', true), twoContainers(tc.namespace, 'apart', false)]);
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('one volume in two containers: same device and inode; two volumes: the outputs differ', async () => {
    const same = await tc.run(execCheck, { kind: 'exec', pod: { name: 'shared', containers: ['a', 'b'] }, command: 'stat -c %d:%i /data', expect: { sameOutput: true }, wait: '60s' }, 90_000);
    process.stdout.write(`    shared: ${same.outcome.status}: ${same.outcome.reason}\n`);
    expect(same.outcome.status, same.outcome.reason).toBe('pass');
    expect(same.outcome.reason).toBe('2 targets (shared/a, shared/b): output as expected');
    const apart = await tc.run(execCheck, { kind: 'exec', pod: { name: 'apart', containers: ['a', 'b'] }, command: 'stat -c %d:%i /data', expect: { sameOutput: true }, wait: '5s' }, 60_000);
    process.stdout.write(`    apart: ${apart.outcome.status}: ${apart.outcome.reason}\n`);
    expect(apart.outcome.status, apart.outcome.reason).toBe('fail');
    expect(apart.outcome.reason).toMatch(/^same stdout on every target: apart\/a: "\d+:\d+", apart\/b: "\d+:\d+"$/);
    expect(apart.outcome.assertions?.map((a) => a.passed)).toEqual([true, true, false]);
  });

  it('the run nonce is filled into the command and the expectation', async () => {
    const r = await tc.run(execCheck, { kind: 'exec', pod: { name: 'shared', container: 'b' }, command: ['sh', '-c', 'echo "nonce={{ nonce }}"'], expect: { stdout: '^nonce={{ nonce }}$' } }, 30_000);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    const wrong = await tc.run(execCheck, { kind: 'exec', pod: { name: 'shared' }, command: 'echo nonce=stale', expect: { stdout: '^nonce={{ nonce }}$' }, wait: '0s' }, 30_000);
    expect(wrong.outcome.status, wrong.outcome.reason).toBe('fail');
    expect(wrong.outcome.reason).toMatch(/^shared\/a: stdout matches \/\^nonce=[0-9a-f]{16}\$\/: got "nonce=stale"$/);
  });

  it('a pod that does not exist fails with "not found" after the wait', async () => {
    const r = await tc.run(execCheck, { kind: 'exec', pod: { name: 'ghost' }, command: 'true', wait: '2s' }, 20_000);
    expect(r.outcome).toMatchObject({ status: 'fail', reason: `pod ghost (ns ${tc.namespace}) not found` });
  });

  it('on every node (privileged debug pod, nsenter into PID 1): IP forwarding is on; the debug pods are removed after', async () => {
    const nodes = (await tc.kube.list('v1', 'Node')).map((n) => n.metadata.name);
    const r = await tc.run(execCheck, { kind: 'exec', name: 'fwd', node: {}, command: 'cat /proc/sys/net/ipv4/ip_forward; hostname', expect: { stdout: '^1$' }, wait: '60s' }, 120_000);
    process.stdout.write(`    nodes: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toBe(`${nodes.length} targets (${nodes.join(', ')}): output as expected`);
    // nsenter reached the node itself: its hostname is the node's name.
    const outputs = (r.outcome.evidence ?? []).filter((e) => e.kind === 'text' && e.title.startsWith('output of '));
    for (const o of outputs) if (o.kind === 'text') expect(o.text).toContain(o.title.replace('output of ', ''));
    expect(r.cleanupFailures).toEqual([]);
    expect(execCheck.needs({ kind: 'exec', node: {}, command: 'true' }).destructive).toBe(true);
    expect(execCheck.needs({ kind: 'exec', pod: { name: 'x' }, command: 'true' }).destructive).toBe(false);
  });
});
