import { describe, expect, it } from 'vitest';
import { budgetWords, decideRefusal, dispositionOf, neverAllows, pdbNameOf, type DrainPod, type PdbLike } from './drain.ts';

const pod = (o: Partial<DrainPod['metadata']> = {}): DrainPod => ({
  metadata: { name: 'web-1', namespace: 'ns', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }], ...o },
});

describe('dispositionOf', () => {
  it('evicts a controller-managed pod of our namespace', () => {
    expect(dispositionOf(pod(), 'ns')).toEqual({ action: 'evict' });
  });
  it("never touches other namespaces' pods", () => {
    expect(dispositionOf(pod({ namespace: 'default' }), 'ns')).toEqual({ action: 'skip', why: "not kconform's (namespace default)" });
  });
  it('skips DaemonSet, mirror, terminating and unmanaged pods, as kubectl drain does', () => {
    expect(dispositionOf(pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'ds', controller: true }] }), 'ns')).toMatchObject({ action: 'skip', why: expect.stringMatching(/^DaemonSet ds pod/) });
    expect(dispositionOf(pod({ annotations: { 'kubernetes.io/config.mirror': 'x' } }), 'ns')).toMatchObject({ why: 'static (mirror) pod' });
    expect(dispositionOf(pod({ deletionTimestamp: '2030-01-01T00:00:00Z' }), 'ns')).toMatchObject({ why: 'already terminating' });
    expect(dispositionOf(pod({ ownerReferences: [] }), 'ns')).toMatchObject({ why: expect.stringMatching(/--force/) });
  });
});

describe('pdbNameOf', () => {
  it("reads the budget's name from the API's refusal", () => {
    expect(pdbNameOf('Cannot evict pod as it would violate the pod\'s disruption budget.: The disruption budget web-pdb needs 2 healthy pods and has 2 currently')).toBe('web-pdb');
    expect(pdbNameOf('Too many requests')).toBeUndefined();
  });
  it("keeps the budget's own sentence", () => {
    expect(budgetWords("Cannot evict pod as it would violate the pod's disruption budget.: The disruption budget web-pdb needs 2 healthy pods and has 2 currently")).toBe(
      'The disruption budget web-pdb needs 2 healthy pods and has 2 currently',
    );
    expect(budgetWords('Too many requests')).toBe('Too many requests');
  });
});

const pdb = (status: PdbLike['status'], spec: PdbLike['spec'] = { maxUnavailable: 0 }): PdbLike => ({ metadata: { name: 'web-pdb', generation: 1 }, spec, status: { observedGeneration: 1, ...status } });
const blocked0 = pdb({ disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 });
const recovering = pdb({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 }, { maxUnavailable: 1 });
const base = { pod: 'web-1', message: 'The disruption budget web-pdb needs 3 healthy pods and has 3 currently', firstAt: 0, now: 1_000, deadline: 60_000, retryMs: 1_000 };

describe('neverAllows', () => {
  it('is true for maxUnavailable 0 with every pod healthy, false while a replacement is coming', () => {
    expect(neverAllows(blocked0)).toBe(true);
    expect(neverAllows(recovering)).toBe(false);
  });
  it('does not trust a status older than the spec', () => {
    expect(neverAllows({ ...blocked0, metadata: { name: 'web-pdb', generation: 2 } })).toBe(false);
  });
});

describe('decideRefusal', () => {
  it('retries while the budget may still allow it', () => {
    expect(decideRefusal({ ...base, pdb: recovering, refusals: 5 })).toEqual({ action: 'retry', afterMs: 1_000 });
  });
  it('retries once even when the budget looks blocked (the status may be stale)', () => {
    expect(decideRefusal({ ...base, pdb: blocked0, refusals: 1 })).toEqual({ action: 'retry', afterMs: 1_000 });
  });
  it('names the budget that blocks for good, without waiting for the deadline', () => {
    expect(decideRefusal({ ...base, pdb: blocked0, refusals: 2 })).toEqual({
      action: 'blocked',
      reason: 'PDB web-pdb blocks eviction of web-1: it allows no disruption even with all 3 pods healthy (maxUnavailable 0)',
    });
  });
  it('at the deadline, names the budget and the refusals, not a bare timeout', () => {
    expect(decideRefusal({ ...base, pdb: recovering, refusals: 30, now: 59_500 })).toEqual({
      action: 'blocked',
      reason: 'PDB web-pdb blocks eviction of web-1: refused 30 times over 60s (The disruption budget web-pdb needs 3 healthy pods and has 3 currently)',
    });
  });
});
