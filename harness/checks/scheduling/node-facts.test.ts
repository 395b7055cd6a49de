import { describe, expect, it } from 'vitest';
import type { NodeObject, PodObject } from '../../kube/objects.ts';
import { blockedSentence, nodeFacts, openNodes, pickWorker, placements, schedulerWords } from './node-facts.ts';

const node = (name: string, o: { cp?: boolean; ready?: boolean; cordoned?: boolean; taints?: { key: string; value?: string; effect: string }[] } = {}): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
  spec: { unschedulable: o.cordoned ?? false, taints: o.taints ?? (o.cp ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []) },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const facts = (...n: NodeObject[]) => n.map(nodeFacts);

describe('blockedSentence', () => {
  it('names a control-plane node and its taint as the issue words it', () => {
    expect(blockedSentence(nodeFacts(node('kind-control-plane', { cp: true })))).toBe(
      'control-plane node kind-control-plane has taint node-role.kubernetes.io/control-plane:NoSchedule; pods without a toleration will not run there',
    );
    expect(blockedSentence(nodeFacts(node('w', { taints: [{ key: 'a', value: 'b', effect: 'PreferNoSchedule' }] })))).toBeUndefined();
  });
});

describe('pickWorker', () => {
  it('takes the first open worker by name, never the control plane', () => {
    expect(pickWorker(facts(node('cp', { cp: true }), node('w2'), node('w1', { cordoned: true }))).node?.name).toBe('w2');
  });

  it('says why there is none, naming the control-plane taint', () => {
    expect(pickWorker(facts(node('cp', { cp: true }), node('w1', { ready: false }))).why).toBe(
      'no schedulable worker: control-plane node cp has taint node-role.kubernetes.io/control-plane:NoSchedule; pods without a toleration will not run there; worker node w1 is not Ready',
    );
    expect(pickWorker(facts(node('cp', { cp: true, taints: [] }))).why).toBe('no schedulable worker (the cluster has none)');
  });

  it('checks a wanted node', () => {
    expect(pickWorker(facts(node('w1')), 'w9').why).toBe('node w9 does not exist (nodes: w1)');
    expect(pickWorker(facts(node('w1', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] })), 'w1').why).toBe('node w1 has taint gpu=yes:NoSchedule; pods without a toleration will not run there');
    expect(pickWorker(facts(node('w1')), 'w1').node?.name).toBe('w1');
  });
});

describe('openNodes', () => {
  it('leaves out the chosen node and nodes that take no ordinary pods', () => {
    expect(openNodes(facts(node('cp', { cp: true }), node('w1'), node('w2'), node('w3', { cordoned: true })), 'w1').map((n) => n.name)).toEqual(['w2']);
  });
});

describe('placements', () => {
  it('reads node, readiness and the scheduler message; skips terminating pods', () => {
    const pods: PodObject[] = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { nodeName: 'w1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 1 node(s) had untolerated taint.' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c', deletionTimestamp: 'x' }, spec: { nodeName: 'w2' } },
    ];
    expect(placements(pods)).toEqual([
      { name: 'a', ready: false, unschedulable: '0/3 nodes are available: 1 node(s) had untolerated taint.', state: 'Pending: 0/3 nodes are available: 1 node(s) had untolerated taint.' },
      { name: 'b', node: 'w1', ready: true, state: 'Running' },
    ]);
  });
});

describe('schedulerWords', () => {
  it('drops the preemption postscript', () => {
    expect(
      schedulerWords("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
    ).toBe("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector");
    expect(schedulerWords('0/1 nodes are available: 1 Insufficient cpu.')).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });
});
