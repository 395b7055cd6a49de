// The safety rule and the built-in labels it rests on.
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedCheck } from '../plan/plan.ts';
import type { CheckSpec } from '../checks/kinds.ts';
import { builtInLabels, isDisruptive } from '../checks/labels.ts';
import { holdBackDisruptive } from './disruptive.ts';

const spec = (s: Record<string, unknown>) => s as unknown as CheckSpec;
const planned = (id: string, s: CheckSpec, extra: Partial<PlannedCheck> = {}): PlannedCheck => ({ id, name: id.split('/')[1]!, spec: s, timeoutMs: 1000, retries: 0, ...extra });

function plan(readOnly = false): Plan {
  return {
    runId: 'r', nonce: 'n', images: { agnhost: 'a' },
    options: { parallel: 1, keep: 'never', readOnly, evidence: 'never' },
    suites: [
      { name: 'life', file: 'life.yaml', namespace: 'ns', fixtures: [], checks: [
        planned('life/drain', spec({ kind: 'eviction', mode: 'drain' })),
        planned('life/api', spec({ kind: 'eviction', mode: 'api' })),
        planned('life/rules', spec({ kind: 'service', mode: 'proxyRules' })),
        planned('life/node-cmd', spec({ kind: 'exec', node: {}, command: ['true'] })),
        planned('life/skipped', spec({ kind: 'scheduling', mode: 'taints' }), { skipReason: 'by the suite' }),
      ] },
      { name: 'ops', file: 'ops.yaml', namespace: 'ns2', fixtures: [], checks: [planned('ops/taint', spec({ kind: 'eviction', mode: 'taint' }))] },
    ],
  };
}
const reasons = (p: Plan) => Object.fromEntries(p.suites.flatMap((s) => s.checks.map((c) => [c.id, c.skipReason])));

describe('built-in labels', () => {
  it('name the area, the kind and what a check does to a cluster', () => {
    expect(builtInLabels(spec({ kind: 'eviction', mode: 'drain' }), 'life')).toEqual({ kind: 'eviction', suite: 'life', area: 'lifecycle', lifecycle: 'true', mode: 'drain', destructive: 'true', slow: 'true' });
    expect(builtInLabels(spec({ kind: 'dns' }), 'net')).toEqual({ kind: 'dns', suite: 'net', area: 'network', network: 'true' });
    expect(builtInLabels(spec({ kind: 'service', mode: 'proxyRules' }), 'c')).toMatchObject({ privileged: 'true' });
    expect(builtInLabels(spec({ kind: 'scheduling', mode: 'nodeSelector', label: 'disk=ssd' }), 'c').destructive).toBeUndefined();
    expect(isDisruptive(spec({ kind: 'exec', node: {}, command: ['true'] }))).toBe(true);
    expect(isDisruptive(spec({ kind: 'exec', pod: { name: 'x' }, command: ['true'] }))).toBe(false);
  });
});

describe('destructive checks on a cluster kconform did not create', () => {
  it('are skipped with a reason naming the target and the way to allow them', () => {
    const { plan: p, held } = holdBackDisruptive(plan(), new Set(), { ownCluster: false, allow: false, target: 'context prod (https://10.0.0.1:6443)' });
    expect(held).toEqual(['life/drain', 'life/rules', 'life/node-cmd', 'ops/taint']);
    const r = reasons(p);
    expect(r['life/drain']).toMatch(/^not run: this check changes nodes or runs privileged pods, and context prod \(https:\/\/10\.0\.0\.1:6443\) is a cluster kconform did not create; pass --allow-disruptive/);
    expect(r['life/api']).toBeUndefined();
    expect(r['life/skipped']).toBe('by the suite');
  });
  it('run with --allow-disruptive, on kconform\'s own cluster, or in a suite that states disruptive: true', () => {
    const target = 'context x';
    expect(holdBackDisruptive(plan(), new Set(), { ownCluster: false, allow: true, target }).held).toEqual([]);
    expect(holdBackDisruptive(plan(), new Set(), { ownCluster: true, allow: false, target }).held).toEqual([]);
    expect(holdBackDisruptive(plan(), new Set(['life']), { ownCluster: false, allow: false, target }).held).toEqual(['ops/taint']);
  });
  it('read-only mode is left to the runner (its own, stricter reason)', () => {
    expect(holdBackDisruptive(plan(true), new Set(), { ownCluster: false, allow: false, target: 'x' }).held).toEqual([]);
  });
});
