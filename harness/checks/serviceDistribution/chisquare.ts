// Chi-square goodness-of-fit against the uniform distribution. The tail
// probability comes from @stdlib's chi-square CDF (regularized incomplete
// gamma, accurate and tested upstream); the statistic is a sum anyone can check.
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

export interface ChiSquareResult {
  /** Sum of (observed - expected)^2 / expected. */
  statistic: number;
  degreesOfFreedom: number;
  /** P(X >= statistic) for X ~ chi-square(df). */
  pValue: number;
  /** Expected count per category (total / categories). */
  expected: number;
  total: number;
}

export function chiSquareUniform(counts: number[]): ChiSquareResult {
  if (counts.length < 2) throw new Error('chi-square needs at least 2 categories');
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) throw new Error('chi-square needs non-negative integer counts');
  const total = counts.reduce((a, b) => a + b, 0);
  const degreesOfFreedom = counts.length - 1;
  if (total === 0) return { statistic: Number.NaN, degreesOfFreedom, pValue: Number.NaN, expected: 0, total };
  const expected = total / counts.length;
  const statistic = counts.reduce((sum, o) => sum + ((o - expected) * (o - expected)) / expected, 0);
  const pValue = Math.min(1, Math.max(0, 1 - chisquareCdf(statistic, degreesOfFreedom)));
  return { statistic, degreesOfFreedom, pValue, expected, total };
}

/** The test rejects uniformity at `alpha` when the p-value is below it. */
export function rejectsUniform(r: ChiSquareResult, alpha: number): boolean {
  return Number.isFinite(r.pValue) && r.pValue < alpha;
}

/** "7.2e-9", "0.031", "0.87" for messages. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  if (p === 0) return '<1e-15';
  if (p < 0.001) return p.toExponential(1);
  return String(Number(p.toPrecision(2)));
}
