// An interrupted run's reports list every planned check: the ones that never
// ran are added as skipped with "interrupted", so a partial JUnit, results.json
// or HTML page never reads as a smaller, complete run.
import { worstStatus, type CheckResult, type SuiteOutline, type SuiteResult } from '../results/model.ts';
import { resultWithoutVerdict } from '../results/check-result.ts';

export const NEVER_RAN_REASON = 'interrupted: the run stopped before this check started';

/** The suites with a skipped result for every planned check that has none, in plan order. */
export function withNeverRan(suites: SuiteResult[], planned: SuiteOutline[], runId: string, at: string): SuiteResult[] {
  const out: SuiteResult[] = [];
  for (const p of planned) {
    const got = suites.find((s) => s.name === p.name);
    const have = new Set(got?.checks.map((c) => c.id) ?? []);
    const missing: CheckResult[] = p.checks
      .filter((c) => !have.has(c.id))
      .map((c) => resultWithoutVerdict(c, p.name, { status: 'skip', reason: NEVER_RAN_REASON, runId, startedAt: at }));
    if (!got && missing.length === 0) continue;
    if (got && missing.length === 0) {
      out.push(got);
      continue;
    }
    const order = new Map(p.checks.map((c, i) => [c.id, i]));
    const checks = [...(got?.checks ?? []), ...missing].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    out.push({
      name: p.name,
      file: got?.file ?? p.file,
      namespace: got?.namespace ?? '',
      status: worstStatus(checks.map((c) => c.status)),
      durationMs: got?.durationMs ?? 0,
      checks,
      errors: got?.errors ?? [],
    });
  }
  // Suites the plan does not know (never expected) are kept as they are.
  return [...out, ...suites.filter((s) => !planned.some((p) => p.name === s.name))];
}
