// --rerun-failed: pick the checks that failed or errored in an earlier report,
// and fold the new results back into it so one report shows the latest result
// of every check, each saying which run produced it.
import type { RunResult, SuiteResult } from '../results/model.ts';
import { summarize, worstStatus } from '../results/model.ts';

export interface RerunSelection {
  /** Suite files to load again. */
  files: string[];
  /** Ids (`<suite>/<check>`) to run. */
  ids: Set<string>;
}

export function selectFailed(previous: RunResult): RerunSelection {
  const ids = new Set<string>();
  const files = new Set<string>();
  for (const s of previous.suites) {
    for (const c of s.checks) {
      if (c.status === 'fail' || c.status === 'error') {
        ids.add(c.id);
        files.add(s.file);
      }
    }
  }
  return { files: [...files], ids };
}

export function mergeRerun(previous: RunResult, current: RunResult): RunResult {
  const fresh = new Map(current.suites.flatMap((s) => s.checks.map((c) => [c.id, c] as const)));
  const suites: SuiteResult[] = previous.suites.map((old) => {
    const now = current.suites.find((s) => s.name === old.name);
    const checks = old.checks.map((c) => fresh.get(c.id) ?? c);
    return {
      ...old,
      namespace: now?.namespace ?? old.namespace,
      durationMs: now?.durationMs ?? old.durationMs,
      errors: now ? now.errors : old.errors,
      checks,
      status: worstStatus(checks.map((c) => c.status)),
    };
  });
  return { ...current, suites, rerunOf: previous.runId, summary: summarize(suites) };
}
