// The nodes check on the real testbed: passes on the healthy cluster, and with a
// worker's kubelet stopped fails naming that node, its condition and the cause.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestCluster, onNode } from '../common/test-context.ts';
import { nodesCheck } from './check.ts';
import type { NodeObject } from '../../kube/objects.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const clusterName = inject('clusterName');

describe.skipIf(!kubeconfig)(`nodes check on the real cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'nodes');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('passes on the healthy cluster and reports what actually runs', async () => {
    const r = await tc.run(nodesCheck, { kind: 'nodes', count: 3, controlPlanes: 1, workers: 2, runtime: 'containerd', cni: 'flannel' }, 60_000);
    expect(r.outcome.reason).toBe('3/3 Ready, runtime containerd://, flannel on 3/3 nodes');
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
  });

  it('fails when the runtime or CNI asked for is not the one running', async () => {
    const r = await tc.run(nodesCheck, { kind: 'nodes', runtime: 'docker', cni: 'calico', settle: '0s' }, 30_000);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    const problems = r.outcome.evidence?.find((e) => e.kind === 'text' && e.title === 'problems');
    expect(problems && 'text' in problems ? problems.text : '').toContain('CNI is flannel, expected calico');
    expect(r.outcome.reason).toMatch(/container runtime is containerd:\/\/, expected docker:\/\//);
  });

  it('names the worker whose kubelet is stopped, with its condition and likely cause', async () => {
    const worker = `${clusterName}-worker2`;
    await onNode(worker, ['systemctl', 'stop', 'kubelet']);
    try {
      // The node controller marks the node Unknown after its grace period (50s by
      // default; the test cluster sets 20s, see harness/testing/test-cluster.ts).
      await tc.kube.waitFor<NodeObject>('v1', 'Node', { name: worker }, ([n]) => {
        const ready = n?.status?.conditions?.find((c) => c.type === 'Ready');
        return { done: ready?.status === 'Unknown', observed: `Ready=${ready?.status}` };
      }, { description: `${worker} to go NotReady`, timeoutMs: 150_000 });
      const r = await tc.run(nodesCheck, { kind: 'nodes', settle: '5s' }, 60_000);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      expect(r.outcome.reason).toContain(`${worker}: NotReady: Ready=Unknown (NodeStatusUnknown): kubelet stopped posting node status; likely cause: kubelet stopped`);
    } finally {
      await onNode(worker, ['systemctl', 'start', 'kubelet']);
      await tc.kube.waitFor<NodeObject>('v1', 'Node', { name: worker }, ([n]) => {
        const ready = n?.status?.conditions?.find((c) => c.type === 'Ready');
        return { done: ready?.status === 'True', observed: `Ready=${ready?.status}` };
      }, { description: `${worker} to be Ready again`, timeoutMs: 120_000 });
    }
  }, 400_000);
});
