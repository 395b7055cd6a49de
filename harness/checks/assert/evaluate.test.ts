import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/types.ts';
import type { AssertSpec } from './spec.ts';
import { evaluateAssert, refusalOf } from './evaluate.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const opts = { namespace: 'kconform-lab1-abc', now: NOW };

function pod(name: string, ready: boolean, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'lab1', uid: `uid-${name}`, creationTimestamp: '2026-11-23T11:00:00Z', resourceVersion: '42', labels: { app: 'web' }, ...extra },
    status: { phase: ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const readyExpect = { status: { conditions: { $some: { type: 'Ready', status: 'True' } } } };
const byLabel = (extra: Partial<AssertSpec>): AssertSpec => ({ kind: 'assert', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'lab1', labelSelector: 'app=web' }, ...extra });

describe('evaluateAssert', () => {
  it('passes when some candidate matches, naming its uid and creation time', () => {
    const v = evaluateAssert({ kind: 'assert', resource: { apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'lab1' }, expect: readyExpect }, [pod('web-1', true)], opts);
    expect(v.ok).toBe(true);
    expect(v.line).toBe('Pod web-1 (ns lab1) matches (uid uid-web-1, created 2026-11-23T11:00:00Z)');
    expect(v.assertions).toEqual([{ name: 'status.conditions: some element matches {type: Ready, status: \"True\"}', passed: true }]);
  });

  it('a missing object fails with "not found" and no credit', () => {
    const v = evaluateAssert({ kind: 'assert', resource: { apiVersion: 'v1', kind: 'Service', name: 'files', namespace: 'lab1' }, expect: { spec: { ports: [{ port: 80 }, { port: 6800 }] } } }, [], opts);
    expect(v.ok).toBe(false);
    expect(v.line).toBe('Service files (ns lab1): not found');
    expect(v.assertions.map((a) => a.passed)).toEqual([false, false]);
  });

  it('partial credit: one assertion per leaf of the best candidate; the reason is the first difference', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'files', namespace: 'lab1', uid: 'u', creationTimestamp: '2026-11-23T11:00:00Z' },
      spec: { ports: [{ name: 'http', port: 80 }, { name: 'rpc', port: 6800 }] },
    };
    const v = evaluateAssert(
      { kind: 'assert', resource: { apiVersion: 'v1', kind: 'Service', name: 'files', namespace: 'lab1' }, expect: { spec: { ports: [{ name: 'http', port: 80 }, { name: 'rpc', port: 6800 }, { name: 'bt', port: 6880 }] } } },
      [svc],
      opts,
    );
    expect(v.assertions.map((a) => a.passed)).toEqual([true, true, false]);
    expect(v.line).toBe('Service files (ns lab1): spec.ports[]: expected contains {name: bt, port: 6880}, got no element matches (2 elements); closest [0] differs at name: expected = bt, got http');
    expect(v.diff).toEqual([v.line.replace('Service files (ns lab1): ', '')]);
    expect(v.pruned).toEqual({ spec: { ports: [{ name: 'http', port: 80 }, { name: 'rpc', port: 6800 }] } });
  });

  it('count: exactly 3 Ready pods of a selector; the counts are graded, the diff names a non-matching pod', () => {
    const v = evaluateAssert(byLabel({ expect: readyExpect, count: 3 }), [pod('web-a', true), pod('web-b', false), pod('web-c', true)], opts);
    expect(v.ok).toBe(false);
    expect(v.assertions).toEqual([{ name: 'exactly 3 matching', passed: false, message: '2 of 3 match' }]);
    expect(v.line).toBe('Pods app=web (ns lab1): expected exactly 3 matching, 2 of 3 match');
    const three = evaluateAssert(byLabel({ expect: readyExpect, count: 3 }), [pod('web-a', true), pod('web-b', true), pod('web-c', true)], opts);
    expect(three.ok).toBe(true);
    expect(three.line).toBe('Pods app=web (ns lab1): 3 of 3 match');
  });

  it('all: a leaf passes only when it holds on every candidate; the diff shows the failing one', () => {
    const v = evaluateAssert(byLabel({ expect: readyExpect, all: true }), [pod('web-a', true), pod('web-b', false)], opts);
    expect(v.ok).toBe(false);
    expect(v.assertions.map((a) => [a.name, a.passed])).toEqual([
      ['status.conditions: some element matches {type: Ready, status: \"True\"}', false],
      ['every candidate matches', false],
    ]);
    expect(v.shown?.object.metadata.name).toBe('web-b');
    expect(v.line).toMatch(/^Pods app=web \(ns lab1\): expected every object to match, 1 of 2 match; web-b: status.conditions: expected some element matches/);
  });

  it('minCount 0 passes with no objects; without expect and counts, existence is the assertion', () => {
    expect(evaluateAssert(byLabel({ minCount: 0 }), [], opts).ok).toBe(true);
    const none = evaluateAssert(byLabel({}), [], opts);
    expect(none.ok).toBe(false);
    expect(none.line).toBe('Pods app=web (ns lab1): no objects found');
    expect(none.assertions).toEqual([{ name: 'exists', passed: false }]);
  });

  it('refuses objects that cannot be live: created in the future, terminating, no uid', () => {
    const future = pod('web-f', true, { creationTimestamp: '2026-11-23T13:00:00Z' });
    const dying = pod('web-d', true, { deletionTimestamp: '2026-11-23T11:59:00Z' });
    const ghost = pod('web-g', true, { uid: undefined });
    const v = evaluateAssert(byLabel({ expect: readyExpect }), [future, dying, ghost], opts);
    expect(v.ok).toBe(false);
    expect(v.refused.map((r) => r.why)).toEqual(['created in the future (2026-11-23T13:00:00Z)', 'terminating since 2026-11-23T11:59:00Z', 'not a live object: no metadata.uid']);
    expect(v.line).toMatch(/^Pods app=web \(ns lab1\): no objects found; refused web-f: created in the future/);
    // A little clock skew is tolerated.
    expect(refusalOf(pod('web-s', true, { creationTimestamp: '2026-11-23T12:03:00Z' }), NOW)).toBeUndefined();
  });

  it('cluster-scoped kinds are named without a namespace', () => {
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1', uid: 'n', creationTimestamp: '2026-11-23T10:00:00Z', labels: {} } };
    const v = evaluateAssert({ kind: 'assert', resource: { apiVersion: 'v1', kind: 'Node', labelSelector: 'node-role.kubernetes.io/worker' }, minCount: 1 }, [], opts);
    expect(v.line).toBe('Nodes node-role.kubernetes.io/worker: no objects found');
    expect(evaluateAssert({ kind: 'assert', resource: { apiVersion: 'v1', kind: 'Node' }, minCount: 1 }, [node], opts).ok).toBe(true);
  });
});
