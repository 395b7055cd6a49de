import { describe, expect, it } from 'vitest';
import { formatDuration, oneLine, plural, stripAnsi, toSeconds, truncate } from './format.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [40, '0.0s'],
    [450, '0.5s'],
    [1234, '1.2s'],
    [9949, '9.9s'],
    [9960, '10s'],
    [38_000, '38s'],
    [59_400, '59s'],
    [59_600, '1m00s'],
    [72_000, '1m12s'],
    [124_000, '2m04s'],
    [3_599_000, '59m59s'],
    [3_720_000, '1h02m'],
    [-5, '0.0s'],
    [Number.NaN, '0.0s'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('small formatters', () => {
  it('pluralizes', () => {
    expect(plural(1, 'check')).toBe('1 check');
    expect(plural(6, 'check')).toBe('6 checks');
    expect(plural(0, 'node')).toBe('0 nodes');
  });

  it('truncates with a final dot, as in serviceDist.', () => {
    expect(truncate('serviceDistribution', 12)).toBe('serviceDist.');
    expect(truncate('dns', 12)).toBe('dns');
  });

  it('converts to seconds to the millisecond', () => {
    expect(toSeconds(1234.4)).toBe(1.234);
    expect(toSeconds(-1)).toBe(0);
  });

  it('strips terminal escapes and folds lines', () => {
    expect(stripAnsi('\u001b[31mred\u001b[39m \u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe('red link');
    expect(oneLine('  a\n  b\r\nc  ')).toBe('a b c');
  });
});
