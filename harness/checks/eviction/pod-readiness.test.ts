import { describe, expect, it } from 'vitest';
import { movedPods, type ReadyPod } from './pod-readiness.ts';

const pod = (name: string, ready: string, at = '2026-12-03T10:00:00Z'): ReadyPod => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready, lastTransitionTime: at }] } });
const since = Date.parse('2026-12-03T10:00:05.400Z');

describe('movedPods', () => {
  it('is quiet when every watched pod stayed Ready since the pass began (the same second included)', () => {
    expect(movedPods([pod('a', 'True'), pod('b', 'True', '2026-12-03T10:00:05Z')], ['a', 'b'], since, 'x')).toBeUndefined();
  });
  it('names a pod not Ready now, one Ready again since, one gone, with the budget', () => {
    const live = [pod('a', 'False'), pod('b', 'True', '2026-12-03T10:00:07Z'), pod('c', 'True')];
    expect(movedPods(live, ['a', 'b', 'd'], since, '1/3 healthy')).toBe(
      'pod a is not Ready, pod b went unready and was Ready again at 2026-12-03T10:00:07Z, pod d is gone; PDB then: 1/3 healthy',
    );
  });
  it('ignores pods it was not asked to watch (the ones the pass evicted, their replacements)', () => {
    expect(movedPods([pod('a', 'True'), pod('new', 'False')], ['a'], since, 'x')).toBeUndefined();
  });
});
