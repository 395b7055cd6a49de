import { describe, expect, it } from 'vitest';
import { blameWords, otherNode } from './second-client.ts';
import type { Tally } from './answers.ts';
import type { NodeObject } from '../../kube/objects.ts';

const tally = (counts: Record<string, number>, failed = 0): Tally => ({
  counts: new Map(Object.entries(counts)),
  failed: new Map(failed ? [['timeout', failed]] : []),
  invalid: new Map(),
  made: Object.values(counts).reduce((a, b) => a + b, 0) + failed,
});
const eps = ['sd-0', 'sd-1', 'sd-2'];

describe('blameWords', () => {
  it("blames the first client's node when every endpoint answers the second client", () => {
    expect(blameWords({ firstNode: 'w1', secondNode: 'w2', first: tally({ 'sd-0': 0, 'sd-1': 0, 'sd-2': 0 }, 300), second: tally({ 'sd-0': 10, 'sd-1': 11, 'sd-2': 9 }) }, eps)).toBe(
      "from node w2 all 3 endpoints answer (sd-0 10, sd-1 11, sd-2 9 of 30): the fault is on node w1, the first client's node (its kube-proxy rules are missing or traffic is dropped there)",
    );
  });
  it('keeps the blame on the endpoint when it is silent from the second client too', () => {
    expect(blameWords({ firstNode: 'w1', secondNode: 'w2', first: tally({ 'sd-0': 150, 'sd-1': 150, 'sd-2': 0 }), second: tally({ 'sd-0': 15, 'sd-1': 15, 'sd-2': 0 }) }, eps)).toBe('from node w2 too, sd-2 answered 0/30: the fault is on the endpoint side, not on node w1');
  });
});

it('blames nobody for a failure that is not client-shaped (one lost request)', () => {
  expect(blameWords({ firstNode: 'w1', secondNode: 'w2', first: tally({ 'sd-0': 100, 'sd-1': 99, 'sd-2': 100 }, 1), second: tally({ 'sd-0': 10, 'sd-1': 10, 'sd-2': 10 }) }, eps)).toBeUndefined();
});

describe('otherNode', () => {
  const node = (name: string, o: { cordoned?: boolean; taint?: string; cp?: boolean } = {}): NodeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: { ...(o.cordoned ? { unschedulable: true } : {}), taints: [...(o.cp ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []), ...(o.taint ? [{ key: o.taint, effect: 'NoSchedule' }] : [])] },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  it('picks another Ready node a client can run on, the control plane included', () => {
    expect(otherNode([node('cp', { cp: true }), node('w1'), node('w2', { cordoned: true })], 'w1')).toBe('cp');
    expect(otherNode([node('w1'), node('w2', { taint: 'dedicated' })], 'w1')).toBeUndefined();
  });
});
