import { describe, expect, it } from 'vitest';
import { evaluateTaint, type TaintPod } from './taint-timing.ts';

const pods: TaintPod[] = [
  { name: 'intolerant', tolerance: 'none' },
  { name: 'forever', tolerance: 'forever' },
  { name: 'five', tolerance: 5 },
];
const opts = { toleranceMs: 3_000, watchedMs: 9_000 };

describe('evaluateTaint', () => {
  it('passes: intolerant at once, timed after about its seconds, forever kept', () => {
    const v = evaluateTaint(pods, [{ name: 'intolerant', afterMs: 400, reason: 'DeletionByTaintManager' }, { name: 'five', afterMs: 5_600 }], opts);
    expect(v.ok).toBe(true);
    expect(v.rows).toEqual([
      ['intolerant', 'evicted at once', 'evicted after 0.4s', 'DeletionByTaintManager', 'yes'],
      ['forever', 'never evicted', 'not evicted (watched 9.0s)', '', 'yes'],
      ['five', 'evicted after 5s', 'evicted after 5.6s', '', 'yes'],
    ]);
  });
  it('fails a timed pod evicted too early or too late, and one never evicted', () => {
    expect(evaluateTaint(pods, [{ name: 'intolerant', afterMs: 100 }, { name: 'five', afterMs: 1_000 }], opts).problems).toEqual([
      'pod five was evicted after 1.0s, expected about 5s (±3.0s)',
    ]);
    expect(evaluateTaint(pods, [{ name: 'intolerant', afterMs: 100 }], opts).problems).toEqual(['pod five (tolerationSeconds 5) was not evicted within 9.0s of the taint']);
  });
  it('fails when the forever-tolerating pod is evicted or the intolerant one stays', () => {
    const v = evaluateTaint(pods, [{ name: 'forever', afterMs: 300 }, { name: 'five', afterMs: 5_000 }], opts);
    expect(v.problems).toEqual([
      'pod intolerant (no toleration) was not evicted within 9.0s of the taint',
      'pod forever tolerates the taint without tolerationSeconds but was evicted after 0.3s',
    ]);
  });
});
