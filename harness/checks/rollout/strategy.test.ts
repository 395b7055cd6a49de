import { describe, expect, it } from 'vitest';
import { resolveLimits, scaledValue } from './strategy.ts';

describe('resolveLimits', () => {
  it('uses 25%/25% by default: surge rounds up, unavailable rounds down', () => {
    expect(resolveLimits(3)).toEqual({ replicas: 3, maxSurge: 1, maxUnavailable: 0 });
    expect(resolveLimits(10)).toEqual({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  });
  it('takes counts as they are', () => {
    expect(resolveLimits(3, 2, 1)).toEqual({ replicas: 3, maxSurge: 2, maxUnavailable: 1 });
  });
  it('turns 0/0 into unavailable 1, as the controller does', () => {
    expect(resolveLimits(3, 0, '10%')).toEqual({ replicas: 3, maxSurge: 0, maxUnavailable: 1 });
  });
  it('rejects a malformed percentage', () => {
    expect(() => scaledValue('abc', 3, true)).toThrow(/invalid count or percentage/);
  });
});
