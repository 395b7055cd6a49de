// The result of a check that got no verdict of its own: skipped (by the suite, the
// shape, the safety rule), blocked by leftovers, never started (interrupted), or
// stopped by a failed suite setup or an unreachable cluster. Every such result is
// built here, so they all carry the same fields (points 0 of max, no attempts).
import type { Attempt, CheckOutline, CheckResult, Evidence, Status, SuiteOutline, SuiteResult } from './model.ts';

export interface WithoutVerdict {
  status: Status;
  reason: string;
  runId: string;
  /** ISO time. */
  startedAt: string;
  evidence?: Evidence[];
  /** Attempts begun before the run stopped (the check runner's interrupted case). */
  attempts?: Attempt[];
}

export function resultWithoutVerdict(check: Pick<CheckOutline, 'id' | 'name' | 'kind' | 'points'>, suite: string, o: WithoutVerdict): CheckResult {
  return {
    id: check.id,
    suite,
    name: check.name,
    kind: check.kind,
    status: o.status,
    reason: o.reason,
    durationMs: 0,
    startedAt: o.startedAt,
    evidence: o.evidence ?? [],
    assertions: [],
    flaky: false,
    attempts: o.attempts ?? [],
    runId: o.runId,
    ...(check.points !== undefined ? { points: { earned: 0, max: check.points } } : {}),
  };
}

/** The outline of results that were made without a run (a failure report): what reporters' onRunBegin takes. */
export function outlineOfResults(suites: SuiteResult[]): SuiteOutline[] {
  return suites.map((s) => ({ name: s.name, file: s.file, checks: s.checks.map((c) => ({ id: c.id, name: c.name, kind: c.kind, ...(c.points ? { points: c.points.max } : {}) })) }));
}
