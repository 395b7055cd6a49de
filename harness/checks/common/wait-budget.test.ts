import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT_MS, waitBudgetMs } from './wait-budget.ts';

describe('waitBudgetMs', () => {
  const ctx = (remaining: number, maxWaitMs?: number) => ({ remainingMs: () => remaining, ...(maxWaitMs !== undefined ? { maxWaitMs } : {}) });
  it('is the check\'s wait, or 30 s by default', () => {
    expect(waitBudgetMs('20s', ctx(120_000))).toBe(20_000);
    expect(waitBudgetMs(undefined, ctx(120_000))).toBe(DEFAULT_WAIT_MS);
  });
  it('is capped by --max-wait', () => {
    expect(waitBudgetMs('20s', ctx(120_000, 5_000))).toBe(5_000);
    expect(waitBudgetMs('2s', ctx(120_000, 5_000))).toBe(2_000);
  });
  it('leaves 3 s of the deadline for the verdict', () => {
    expect(waitBudgetMs('1m', ctx(10_000))).toBe(7_000);
  });
});
