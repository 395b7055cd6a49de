import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from './did-you-mean.ts';

describe('closestMatch', () => {
  const keys = ['name', 'timeout', 'retries', 'fixtures', 'checks', 'cni', 'dns', 'nodes'];
  it.each([
    ['timout', 'timeout'],
    ['Timeout', 'timeout'],
    ['retires', 'retries'],
    ['fixture', 'fixtures'],
    ['dnz', 'dns'],
    ['cnii', 'cni'],
  ])('suggests %s -> %s', (typo, want) => {
    expect(closestMatch(typo, keys)).toBe(want);
  });

  it.each(['colour', 'x', 'teleport', 'zzz'])('suggests nothing for %s', (word) => {
    expect(closestMatch(word, keys)).toBeUndefined();
  });

  it('phrases the hint', () => {
    expect(didYouMean('nmae', ['name'])).toBe("; did you mean 'name'?");
    expect(didYouMean('colour', ['name'])).toBe('');
  });
});
