import { describe, expect, it } from 'vitest';
import { describeWarmUp, warmUp } from './warmup.ts';

/** A clock that advances `step` ms per reading. */
function clock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

describe('warmUp', () => {
  it('keeps probing past any round count until every endpoint answers (kube-proxy late by many rounds)', async () => {
    const seen = [1, 1, 1, 1, 1, 1, 1, 2, 2, 3];
    const w = await warmUp(async (n) => seen[n - 1]!, 3, 20_000, clock(100));
    expect(w).toMatchObject({ rounds: 10, answering: 3, complete: true });
    expect(describeWarmUp(w, 3)).toMatch(/^3 endpoint\(s\) answered after 10 round\(s\), \d+\.\ds; warm-up requests are not counted$/);
  });

  it('gives up at the time budget and says how many answered', async () => {
    const w = await warmUp(async () => 2, 3, 1_000, clock(150));
    expect(w.complete).toBe(false);
    expect(w.answering).toBe(2);
    expect(w.ms).toBeGreaterThanOrEqual(1_000);
    expect(describeWarmUp(w, 3)).toContain('only 2 of 3 endpoint(s) answered in the last warm-up round');
  });

  it('runs at least one round even with no budget left', async () => {
    let calls = 0;
    const w = await warmUp(async () => ++calls && 1, 1, 0, clock(10));
    expect(calls).toBe(1);
    expect(w.complete).toBe(true);
  });
});
