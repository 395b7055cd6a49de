import { describe, expect, it } from 'vitest';
import { evaluateRollout, type PhaseResult, type RolloutFindings } from './evaluate.ts';
import type { InvariantReport } from './invariants.ts';
import type { TrafficSummary } from '../common/version-probe.ts';

const limits = { replicas: 3, maxSurge: 1, maxUnavailable: 0 };
const inv = (o: Partial<InvariantReport> = {}): InvariantReport => ({
  limits,
  armedAt: 10,
  breaches: [],
  falls: [],
  breachingEvents: 0,
  peakActive: 4,
  peakUnavailable: 0,
  peakSpecSum: 4,
  podEvents: 20,
  replicaSetEvents: 8,
  points: [],
  ...o,
});
const traffic = (o: Partial<TrafficSummary> = {}): TrafficSummary => ({ total: 200, ok: 200, slow: 0, failed: 0, failures: {}, versions: { v1: 120, v2: 80 }, pods: {}, firstFailures: [], buckets: [], ...o });
const phase = (o: Partial<PhaseResult> = {}): PhaseResult => ({
  name: 'update to v2',
  kind: 'update',
  version: 'v2',
  from: 1_000,
  to: 11_000,
  revisionBefore: 1,
  revisionAfter: 2,
  reached: true,
  tookMs: 8_000,
  deadlineMs: 60_000,
  state: '3/3 updated, 3 total, 3 available',
  strayPods: '',
  serving: { ok: true, words: '6 answers in a row from v2' },
  ...o,
});
const findings = (o: Partial<RolloutFindings> = {}): RolloutFindings => ({
  phases: [phase(), phase({ name: 'rollback to the previous revision', kind: 'rollback', version: 'v1', from: 11_000, to: 20_000, revisionBefore: 2, revisionAfter: 3, reuse: { expected: 'web-a', actual: 'web-a' } })],
  invariants: inv(),
  traffic: traffic(),
  trafficByPhase: {},
  maxFailedRequests: 0,
  origin: 0,
  ...o,
});

describe('evaluateRollout', () => {
  it('leads with the named cause of an update that cannot complete, and the verified rollback', () => {
    const v = evaluateRollout(findings({
      phases: [
        phase({ reached: false, tookMs: 3_200, revisionAfter: 2, state: 'pod web-x (image nope:1, node w2): ErrImagePull (1/3 updated)', podProblem: 'pod web-x (image nope:1, node w2): ErrImagePull: failed to pull', recoveredBy: 'rolled back to v1 (revision 3) in 4.0s; v1 serves again' }),
        phase({ name: 'rollback from the failed update', kind: 'rollback', version: 'v1', revisionBefore: 2, revisionAfter: 3 }),
      ],
    }));
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toBe('update to v2 cannot complete: pod web-x (image nope:1, node w2): ErrImagePull: failed to pull (named after 3.2s); rolled back to v1 (revision 3) in 4.0s; v1 serves again');
  });

  it('passes and sums up the revisions', () => {
    const v = evaluateRollout(findings());
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('0/200 requests failed; surge<=1 unavailable<=0 at every event (peak 4 active, 0 unavailable); v1 rev 1 -> v2 rev 2 (8.0s) -> undo v1 rev 3 (8.0s)');
    expect(v.assertions.every((a) => a.passed)).toBe(true);
  });

  it('names failed requests and the phase that lost most', () => {
    const lost = traffic({ failed: 12, ok: 188, failures: { 'no connect': 12 }, firstFailures: ['#57 at +8.2s: could not connect'] });
    const v = evaluateRollout(findings({ traffic: lost, trafficByPhase: { 'update to v2': lost } }));
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toBe('12/200 requests failed (allowed 0): 12 during the update to v2 (12 no connect; first #57 at +8.2s: could not connect)');
  });

  it('allows up to maxFailedRequests', () => {
    expect(evaluateRollout(findings({ traffic: traffic({ failed: 2, failures: { timeout: 2 } }), maxFailedRequests: 2 })).ok).toBe(true);
  });

  it('names a pod that fell NotReady by itself in a passing verdict', () => {
    const v = evaluateRollout(findings({ invariants: inv({ falls: [{ t: 27_300, pod: 'web-74d-2wzlx' }] }) }));
    expect(v.ok).toBe(true);
    expect(v.summary).toMatch(/; web-74d-2wzlx fell NotReady by itself at \+27\.3s \(its readiness probe failed, it was not deleted: counted available for maxUnavailable\)$/);
  });

  it('puts a breach in its phase', () => {
    const v = evaluateRollout(
      findings({ invariants: inv({ breaches: [{ t: 5_300, rule: 'maxUnavailable', source: 'pods', value: 1, limit: 0, detail: '2/3 pods available (1 unavailable > maxUnavailable 0; active: a 2)' }] }) }),
    );
    expect(v.problems).toEqual(['maxUnavailable broken during the update to v2 at +5.3s: 2/3 pods available (1 unavailable > maxUnavailable 0; active: a 2)']);
  });

  it('leads with a rollout that never finished', () => {
    const v = evaluateRollout(
      findings({ phases: [phase({ reached: false, state: '1/3 updated, 4 total, 3 available (Progressing True ReplicaSetUpdated)' })], traffic: traffic({ failed: 1, failures: { timeout: 1 } }) }),
    );
    expect(v.problems[0]).toBe('update to v2 did not complete within 60.0s: 1/3 updated, 4 total, 3 available (Progressing True ReplicaSetUpdated)');
    expect(v.problems[1]).toMatch(/^1\/200 requests failed/);
  });

  it('reports a revision that did not advance, stray pods, a non-reused ReplicaSet and a Service still on the old version', () => {
    const v = evaluateRollout(
      findings({
        phases: [
          phase({ revisionAfter: 1, strayPods: 'web-x runs v1', serving: { ok: false, words: 'v1 5, v2 1' } }),
          phase({ name: 'rollback to the previous revision', kind: 'rollback', version: 'v1', revisionBefore: 2, revisionAfter: 3, reuse: { expected: 'web-a', actual: 'web-c' } }),
        ],
      }),
    );
    expect(v.problems).toEqual([
      'update to v2: the revision did not advance (1 -> 1)',
      'update to v2: not every pod runs v2: web-x runs v1',
      'update to v2: the Service does not serve v2 only: v1 5, v2 1',
      'rollback to the previous revision: the controller did not reuse ReplicaSet web-a (pods came from web-c): the copied template differs',
    ]);
  });

  it('expects a stuck rollout to be reported, and says when it was not', () => {
    const stuck = phase({ name: 'stuck rollout to v3', kind: 'stuck', version: 'v3', revisionBefore: 2, revisionAfter: 3, reached: false, deadlineMs: 40_000, state: '1/3 updated, 4 total, 3 available (Progressing True ReplicaSetUpdated)' });
    const v = evaluateRollout(findings({ phases: [phase(), stuck] }));
    expect(v.problems[0]).toBe('stuck rollout to v3 was not reported as ProgressDeadlineExceeded within 40.0s: 1/3 updated, 4 total, 3 available (Progressing True ReplicaSetUpdated)');
    expect(evaluateRollout(findings({ phases: [phase(), { ...stuck, reached: true }] })).ok).toBe(true);
  });

  it('cannot judge the invariants without a steady state', () => {
    const { armedAt: _unused, ...never } = inv();
    expect(evaluateRollout(findings({ invariants: never })).problems[0]).toMatch(/never reached the steady state/);
  });

  it('is undecided when a phase was cut short by the check\'s own deadline and nothing else failed', () => {
    const cut = phase({ name: 'rollback to the previous revision', kind: 'rollback', version: 'v1', reached: false, deadlineMs: 1_500, budgetMs: 60_000, state: 'not seen yet' });
    const v = evaluateRollout(findings({ phases: [phase(), cut] }));
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([]);
    expect(v.undecided).toBe("rollback to the previous revision was given 1.5s of its 60.0s (the check's timeout was nearly spent when it started) and had not completed: not seen yet: raise the check's timeout");
    // Something the cluster did wrong still fails the check.
    const failed = evaluateRollout(findings({ phases: [phase(), cut], traffic: traffic({ failed: 2, failures: { timeout: 2 } }) }));
    expect(failed.undecided).toBeUndefined();
    expect(failed.problems[0]).toMatch(/^2\/200 requests failed/);
    // Given its whole budget, a phase that did not complete fails as before.
    expect(evaluateRollout(findings({ phases: [phase({ reached: false, deadlineMs: 60_000 })] })).problems[0]).toMatch(/did not complete within 60.0s/);
  });
});

