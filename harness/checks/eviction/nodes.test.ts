import { describe, expect, it } from 'vitest';
import type { NodeObject } from '../../kube/objects.ts';
import { chooseWorker, cordonPatch, leftovers, nodeFacts, uncordonPatch, usableWorkers, withoutTaint, withTaint } from './nodes.ts';

const node = (name: string, o: { cp?: boolean; unschedulable?: boolean; annotations?: Record<string, string>; taints?: { key: string; effect: string }[]; ready?: boolean } = {}): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}, ...(o.annotations ? { annotations: o.annotations } : {}) },
  spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

const cp = node('cp', { cp: true, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });

describe('leftovers', () => {
  it('names a node left cordoned by a previous run and how to undo it', () => {
    const facts = [cp, node('w1', { unschedulable: true, annotations: { 'kconform.io/cordoned-by': 'abc123' } }), node('w2')].map(nodeFacts);
    expect(leftovers(facts)).toEqual([
      'node w1 was left cordoned by kconform run abc123 (annotation kconform.io/cordoned-by=abc123): uncordon it (kubectl uncordon w1; kubectl annotate node w1 kconform.io/cordoned-by-) or run kconform clean',
    ]);
  });
  it('names a test taint left behind', () => {
    const facts = [node('w2', { taints: [{ key: 'kconform.io/evict-test-abc123', effect: 'NoExecute' }] })].map(nodeFacts);
    expect(leftovers(facts)).toEqual([
      'node w2 still has taint kconform.io/evict-test-abc123:NoExecute from kconform run abc123: remove it (kubectl taint nodes w2 kconform.io/evict-test-abc123-) or run kconform clean',
    ]);
  });
  it('finds nothing on clean nodes', () => {
    expect(leftovers([cp, node('w1'), node('w2')].map(nodeFacts))).toEqual([]);
  });
});

describe('chooseWorker', () => {
  const facts = [cp, node('w1'), node('w2'), node('w3', { unschedulable: true })].map(nodeFacts);
  it('picks the usable worker holding most pods, ties by name', () => {
    expect(usableWorkers(facts).map((n) => n.name)).toEqual(['w1', 'w2']);
    expect(chooseWorker(facts, { podsPerNode: new Map([['w1', 1], ['w2', 2]]) })).toEqual({ node: 'w2' });
    expect(chooseWorker(facts)).toEqual({ node: 'w1' });
  });
  it('refuses a requested worker that is already unschedulable, naming it', () => {
    expect(chooseWorker(facts, { requested: 'w3' })).toEqual({
      problem: 'node w3 is already unschedulable (cordoned outside this run): refusing to use it; uncordon it first (kubectl uncordon w3)',
    });
  });
  it('refuses the control plane and unknown nodes', () => {
    expect(chooseWorker(facts, { requested: 'cp' })).toMatchObject({ problem: expect.stringMatching(/control-plane/) });
    expect(chooseWorker(facts, { requested: 'nope' })).toMatchObject({ problem: expect.stringMatching(/does not exist/) });
  });
  it('says when no worker is usable', () => {
    expect(chooseWorker([cp, node('w3', { unschedulable: true })].map(nodeFacts))).toEqual({ problem: 'no schedulable, Ready worker (unschedulable: w3)' });
  });
});

describe('patches', () => {
  it('cordons and marks in one write; uncordon removes both', () => {
    expect(cordonPatch('r1')).toEqual({ metadata: { annotations: { 'kconform.io/cordoned-by': 'r1' } }, spec: { unschedulable: true } });
    expect(uncordonPatch()).toEqual({ metadata: { annotations: { 'kconform.io/cordoned-by': null } }, spec: { unschedulable: null } });
  });
  it('adds a taint once and removes it by key, keeping the others', () => {
    const cpTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
    const t = { key: 'kconform.io/evict-test-r1', effect: 'NoExecute' };
    expect(withTaint(withTaint([cpTaint], t), t)).toEqual([cpTaint, t]);
    expect(withoutTaint([cpTaint, t], t.key)).toEqual([cpTaint]);
  });
});
