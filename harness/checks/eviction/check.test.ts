import { describe, expect, it } from 'vitest';
import { EvictionSpec } from './spec.ts';
import { evictionCheck } from './check.ts';

describe('evictionCheck.needs', () => {
  it('declares drain and taint destructive (skipped in read-only mode), api not', () => {
    expect(evictionCheck.needs({ kind: 'eviction', mode: 'api' }).destructive).toBeFalsy();
    expect(evictionCheck.needs({ kind: 'eviction', mode: 'drain' })).toEqual({ minSchedulableWorkers: 2, destructive: true });
    expect(evictionCheck.needs({ kind: 'eviction', mode: 'taint' })).toEqual({ minSchedulableWorkers: 1, destructive: true });
  });
});

describe('EvictionSpec', () => {
  it('takes exactly one PDB policy', () => {
    expect(EvictionSpec.safeParse({ kind: 'eviction', mode: 'api', pdb: { maxUnavailable: 0 } }).success).toBe(true);
    expect(EvictionSpec.safeParse({ kind: 'eviction', mode: 'api', pdb: { minAvailable: '50%' } }).success).toBe(true);
    expect(EvictionSpec.safeParse({ kind: 'eviction', mode: 'api', pdb: { minAvailable: 1, maxUnavailable: 1 } }).success).toBe(false);
    expect(EvictionSpec.safeParse({ kind: 'eviction', mode: 'api', pdb: { maxUnavailable: 'half' } }).success).toBe(false);
  });
  it('needs a mode', () => {
    expect(EvictionSpec.safeParse({ kind: 'eviction' }).success).toBe(false);
  });
});
