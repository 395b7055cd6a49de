import { describe, expect, it } from 'vitest';
import { blockedByLeftovers } from './leftover-gate.ts';
import { shapeOf } from '../cluster/shape.ts';
import type { NodeObject } from '../kube/objects.ts';

const worker = (name: string, o: { cordonedBy?: string; taint?: string } = {}): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, ...(o.cordonedBy ? { annotations: { 'kconform.io/cordoned-by': o.cordonedBy } } : {}) },
  spec: { ...(o.cordonedBy ? { unschedulable: true } : {}), ...(o.taint ? { taints: [{ key: o.taint, effect: 'NoExecute' }] } : {}) },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

describe('blockedByLeftovers', () => {
  const marked = shapeOf([worker('w1', { cordonedBy: 'old123' }), worker('w2', { taint: 'kconform.io/evict-test-old123' })], [], 'mode: iptables');

  it('makes a check whose need the marks alone leave unmet an error naming them and the clean command', () => {
    expect(blockedByLeftovers({ minSchedulableWorkers: 1 }, marked, 'sd')).toBe(
      'sd needs 1 schedulable worker; this cluster has 0 because of marks left by earlier runs: kconform run old123 left node w1: cordon (annotation kconform.io/cordoned-by=old123); node w2: taint kconform.io/evict-test-old123:NoExecute; remove with: kconform clean --run old123',
    );
  });

  it('blocks a destructive check while a node carries a mark that keeps pods off', () => {
    const oneMark = shapeOf([worker('w1', { cordonedBy: 'old123' }), worker('w2'), worker('w3')], [], 'mode: iptables');
    expect(blockedByLeftovers({ destructive: true, minSchedulableWorkers: 2 }, oneMark, 'drain')).toMatch(/^drain changes nodes, but nodes still carry marks of earlier runs: kconform run old123 left node w1: cordon .*kconform clean --run old123$/);
    expect(blockedByLeftovers({ minSchedulableWorkers: 2 }, oneMark, 'sd')).toBeUndefined();
  });

  it('leaves a cluster that is simply too small (or clean) to the shape decision', () => {
    const small = shapeOf([worker('w1', { cordonedBy: 'old123' })], [], 'mode: iptables');
    expect(blockedByLeftovers({ minSchedulableWorkers: 2 }, small, 'drain')).toBeUndefined();
    const clean = shapeOf([worker('w1'), worker('w2')], [], 'mode: iptables');
    expect(blockedByLeftovers({ destructive: true, minSchedulableWorkers: 2 }, clean, 'drain')).toBeUndefined();
    expect(blockedByLeftovers({ destructive: true }, undefined, 'drain')).toBeUndefined();
  });
});
