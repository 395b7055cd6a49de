import { describe, expect, it } from 'vitest';
import { revisionNumber, rolloutState } from './status.ts';

const d = (status: Record<string, unknown>, generation = 2) => ({ metadata: { name: 'web', generation }, spec: { replicas: 3 }, status });

describe('rolloutState', () => {
  it('is complete when every replica is updated and available and no old one is left', () => {
    expect(rolloutState(d({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).complete).toBe(true);
  });
  it('is not complete while an old replica remains or the spec is not observed', () => {
    expect(rolloutState(d({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).complete).toBe(false);
    const r = rolloutState(d({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }));
    expect(r.complete).toBe(false);
    expect(r.words).toBe('3/3 updated, 3 total, 3 available (newest spec not yet observed)');
  });
  it('is stuck on ProgressDeadlineExceeded, and says so', () => {
    const r = rolloutState(
      d({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
    );
    expect(r).toEqual({ complete: false, stuck: true, words: '1/3 updated, 4 total, 3 available (Progressing False ProgressDeadlineExceeded)' });
  });
  it('does not call a rollout stuck on a condition older than the newest spec (a rollback just made)', () => {
    const r = rolloutState(
      d({ observedGeneration: 1, replicas: 4, updatedReplicas: 1, availableReplicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
    );
    expect(r.stuck).toBe(false);
  });
  it('reads the revision annotation', () => {
    expect(revisionNumber({ metadata: { annotations: { 'deployment.kubernetes.io/revision': '4' } } })).toBe(4);
    expect(revisionNumber({ metadata: {} })).toBe(0);
  });
});
