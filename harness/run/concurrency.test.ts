import { describe, expect, it } from 'vitest';
import { autoParallel, PARALLEL_AUTO, resolveParallel } from './concurrency.ts';

describe('--parallel', () => {
  it('auto is two checks per CPU, at least 2 and at most 4', () => {
    expect([1, 2, 3, 16].map((cpus) => autoParallel(cpus))).toEqual([2, 4, 4, 4]);
    expect(resolveParallel(PARALLEL_AUTO)).toBe(autoParallel());
  });

  it('a number is taken as it is; 1 is the serial run', () => {
    expect([1, 3, 7].map(resolveParallel)).toEqual([1, 3, 7]);
  });
});
