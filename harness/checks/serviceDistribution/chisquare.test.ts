import { describe, expect, it } from 'vitest';
import { chiSquareUniform, formatP, rejectsUniform } from './chisquare.ts';

// Reference p-values from closed forms of the chi-square tail, computed
// independently of the library (Python's math.erfc / math.exp):
//   df 1: erfc(sqrt(x/2)); df 2: exp(-x/2); df 3: erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2).
const REFERENCE: [number[], number, number][] = [
  [[150, 75, 75], 37.5, 7.194133030325383e-9],
  [[100, 100, 100], 0, 1],
  [[110, 95, 95], 1.5, 0.4723665527410147],
  [[154, 146], 0.21333333333333335, 0.6441672226837102],
  [[89, 106, 105], 1.82, 0.402524224033636],
  [[70, 80, 75, 75], 0.6666666666666666, 0.8810148425137847],
  [[90, 60, 75, 75], 6, 0.11161022509471256],
  [[120, 55, 60, 65], 36.66666666666667, 5.412578950915831e-8],
];

describe('chiSquareUniform', () => {
  it.each(REFERENCE)('%j: statistic %d, p-value as the closed form says', (counts, statistic, p) => {
    const r = chiSquareUniform(counts);
    expect(r.statistic).toBeCloseTo(statistic, 10);
    expect(r.degreesOfFreedom).toBe(counts.length - 1);
    expect(r.expected).toBe(counts.reduce((a, b) => a + b, 0) / counts.length);
    // 1 - CDF loses digits in the far tail: compare relatively.
    expect(Math.abs(r.pValue - p) / p).toBeLessThan(1e-6);
  });

  it('passes an even split and rejects a 2:1:1 split of 300 at alpha 0.001', () => {
    expect(rejectsUniform(chiSquareUniform([100, 100, 100]), 0.001)).toBe(false);
    expect(rejectsUniform(chiSquareUniform([150, 75, 75]), 0.001)).toBe(true);
    // Close to the line: chi-square 13.82 is the 0.001 critical value for df 2.
    expect(rejectsUniform(chiSquareUniform([130, 85, 85]), 0.001)).toBe(false); // x = 13.5, p = 0.00117
    expect(rejectsUniform(chiSquareUniform([131, 85, 84]), 0.001)).toBe(true); // x = 14.42, p = 0.00074
  });

  it('refuses bad input and has no p-value for zero answers', () => {
    expect(() => chiSquareUniform([5])).toThrow(/at least 2/);
    expect(() => chiSquareUniform([1.5, 2])).toThrow(/integer/);
    expect(Number.isNaN(chiSquareUniform([0, 0, 0]).pValue)).toBe(true);
    expect(rejectsUniform(chiSquareUniform([0, 0, 0]), 0.001)).toBe(false);
  });

  it('formats p-values for messages', () => {
    expect(formatP(7.194e-9)).toBe('7.2e-9');
    expect(formatP(0.4723)).toBe('0.47');
    expect(formatP(0)).toBe('<1e-15');
    expect(formatP(Number.NaN)).toBe('n/a');
  });
});
