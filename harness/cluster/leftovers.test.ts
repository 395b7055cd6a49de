import { describe, expect, it } from 'vitest';
import { describeLeftovers, findLeftovers } from './leftovers.ts';
import { shapeOf } from './shape.ts';
import type { NodeObject } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';

const cpTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const node = (name: string, o: { cp?: boolean; taints?: { key: string; value?: string; effect: string }[]; cordonedBy?: string; cordoned?: boolean; labels?: Record<string, string> } = {}): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    labels: { ...(o.cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}), ...o.labels },
    ...(o.cordonedBy ? { annotations: { 'kconform.io/cordoned-by': o.cordonedBy } } : {}),
  },
  spec: { taints: [...(o.cp ? [cpTaint] : []), ...(o.taints ?? [])], ...(o.cordoned ? { unschedulable: true } : {}) },
  status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { containerRuntimeVersion: 'containerd://2.0' } },
});
const ns = (name: string, run?: string, deleting = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(run ? { labels: { 'kconform.io/run': run } } : {}), ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
});

// The state issue 18 found: an interrupted run left a cordon, taints and a label.
const interrupted = [
  node('cp', { cp: true }),
  node('w1', { cordoned: true, cordonedBy: 'old123', taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
  node('w2', { taints: [{ key: 'kconform.io/evict-test-old123', effect: 'NoExecute' }, { key: 'kconform.io/sched-old456', value: 'x', effect: 'NoSchedule' }], labels: { 'kconform.io/sched-old456': 'x' } }),
];

describe('findLeftovers', () => {
  it('reads cordons, taints, labels and namespaces with their run ids, ignoring namespaces being deleted', () => {
    const l = findLeftovers(interrupted, [ns('kconform-net-old123', 'old123'), ns('kconform-dns-gone99', 'gone99', true), ns('default')]);
    expect(l.map((x) => `${x.runId} ${x.kind} ${x.object} ${x.blocksPods}`)).toEqual([
      'old123 cordon w1 true',
      'old123 taint w2 true',
      'old456 taint w2 true',
      'old456 label w2 false',
      'old123 namespace kconform-net-old123 false',
    ]);
  });

  it('names each run once, with what it left where and the clean command', () => {
    expect(describeLeftovers(findLeftovers(interrupted, [ns('kconform-net-old123', 'old123')]))).toEqual([
      'kconform run old123 left node w1: cordon (annotation kconform.io/cordoned-by=old123); node w2: taint kconform.io/evict-test-old123:NoExecute; namespace: kconform-net-old123; remove with: kconform clean --run old123',
      'kconform run old456 left node w2: taint kconform.io/sched-old456=x:NoSchedule, label kconform.io/sched-old456; remove with: kconform clean --run old456',
    ]);
  });

  it('finds nothing on a clean cluster and leaves out the current run', () => {
    expect(findLeftovers([node('cp', { cp: true }), node('w1', { cordoned: true })], [ns('default')])).toEqual([]);
    expect(findLeftovers(interrupted, [], 'old123').map((l) => l.runId)).toEqual(['old456', 'old456']);
  });
});

describe('shapeOf with leftovers', () => {
  it('counts the workers that would be schedulable once the marks are gone', () => {
    const s = shapeOf(interrupted, [], 'mode: iptables');
    expect(s).toMatchObject({ workers: 2, schedulableWorkers: 0, schedulableWorkersWithoutLeftovers: 2 });
    expect(s.leftovers).toHaveLength(4);
  });
  it('does not count a cordon nobody marked as a leftover', () => {
    const s = shapeOf([node('cp', { cp: true }), node('w1', { cordoned: true }), node('w2')], [], 'mode: iptables');
    expect(s).toMatchObject({ schedulableWorkers: 1, schedulableWorkersWithoutLeftovers: 1, leftovers: [] });
  });
});
