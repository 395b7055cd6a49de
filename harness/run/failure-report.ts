// Always a report: when no check could run because the cluster could not be
// reached, created or set up, the run still writes JUnit (one errored testcase
// per suite, its message the cause), results.json (the cause, the phase, the
// exit code) and the HTML page, so CI artifacts and dashboards show why.
import { outlineOfResults, resultWithoutVerdict } from '../results/check-result.ts';
import { RESULTS_SCHEMA_VERSION, summarize, type ClusterInfo, type HarnessError, type RunResult, type SuiteResult } from '../results/model.ts';
import { createReporters } from '../report/registry.ts';
import { VERSION } from '../version.ts';

/** The testcase standing for a suite that never ran. */
export const NOT_RUN_CASE = 'cluster';

export interface FailureReportOptions {
  suites: { name: string; file: string }[];
  failure: HarnessError;
  cluster: ClusterInfo;
  runId: string;
  startedAt?: Date;
  junit: string | false;
  json: string | false;
  html: string | false;
}

/** The run that did not happen, as a result: every suite errored with the cause. */
export function failedRun(o: Pick<FailureReportOptions, 'suites' | 'failure' | 'cluster' | 'runId' | 'startedAt'>): RunResult {
  const started = o.startedAt ?? new Date();
  const now = new Date();
  const at = started.toISOString();
  const reason = `${o.failure.phase}: ${o.failure.cause}`;
  // Two files may hold suites of one name only in a broken input, which stops earlier; still keep ids unique.
  const seen = new Set<string>();
  const suites: SuiteResult[] = o.suites.filter((s) => !seen.has(s.name) && seen.add(s.name)).map((s) => {
    const check = resultWithoutVerdict({ id: `${s.name}/${NOT_RUN_CASE}`, name: NOT_RUN_CASE, kind: 'harness' }, s.name, {
      status: 'error', reason, runId: o.runId, startedAt: at, evidence: [{ kind: 'text', title: o.failure.phase, text: o.failure.cause }],
    });
    return { name: s.name, file: s.file, namespace: '', status: 'error', durationMs: 0, checks: [check], errors: [] };
  });
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'kconform', version: VERSION },
    runId: o.runId,
    startedAt: at,
    finishedAt: now.toISOString(),
    durationMs: Math.max(0, now.getTime() - started.getTime()),
    cluster: o.cluster,
    suites,
    interrupted: false,
    harnessError: o.failure,
    summary: summarize(suites),
  };
}

/** Writes the reports of a run that could not start; returns the files written. Never throws. */
export async function writeFailureReport(o: FailureReportOptions): Promise<string[]> {
  const run = failedRun(o);
  const reporter = createReporters({ junit: o.junit, json: o.json, html: o.html, console: 'silent' });
  try {
    reporter.onRunBegin?.({ runId: run.runId, cluster: run.cluster, version: VERSION, suites: outlineOfResults(run.suites) });
    await reporter.onRunEnd?.(run);
    return reporter.writtenFiles?.() ?? [];
  } catch {
    return [];
  }
}
