// The result model: what checks produce and reporters consume. Reporters import
// only this folder (and report/format helpers), never the cluster or the checks.

export const RESULTS_SCHEMA_VERSION = 1;

export type Status = 'pass' | 'fail' | 'error' | 'skip';

/** A named piece of evidence; reporters decide how to draw each kind. */
export type Evidence =
  | { kind: 'text'; title: string; text: string }
  | { kind: 'table'; title: string; columns: string[]; rows: (string | number)[][] }
  | { kind: 'matrix'; title: string; rows: string[]; cols: string[]; cells: MatrixCell[][] }
  | { kind: 'counts'; title: string; counts: Record<string, number>; expected?: number; pValue?: number; statistic?: number }
  | { kind: 'timeline'; title: string; series: string[]; points: { t: number; values: Record<string, number> }[] }
  | { kind: 'events'; title: string; events: EventRecord[] }
  | { kind: 'logs'; title: string; pod: string; container: string; text: string }
  | { kind: 'object'; title: string; object: unknown };

export interface MatrixCell {
  ok: boolean;
  /** Short text drawn in the cell, e.g. "3ms" or "SNAT". */
  label: string;
  latencyMs?: number;
  detail?: string;
}

export interface EventRecord {
  time: string;
  type: string;
  reason: string;
  object: string;
  message: string;
  count?: number;
}

/** One graded sub-assertion of a check (partial credit). */
export interface Assertion {
  name: string;
  passed: boolean;
  message?: string;
  points?: number;
}

export interface Attempt {
  attempt: number;
  status: Status;
  reason: string;
  durationMs: number;
  evidence: Evidence[];
}

export interface CheckResult {
  /** Stable id: `<suite>/<check name>`. */
  id: string;
  suite: string;
  name: string;
  kind: string;
  status: Status;
  /** One line: why it passed, failed, errored or was skipped. */
  reason: string;
  /** Time to the verdict (a deadline bounds this). */
  durationMs: number;
  /** Time spent undoing the check's changes after the verdict. */
  cleanupMs?: number;
  startedAt: string;
  evidence: Evidence[];
  assertions: Assertion[];
  /** Failed then passed on a retry: reported, never hidden. */
  flaky: boolean;
  attempts: Attempt[];
  hint?: string;
  points?: { earned: number; max: number };
  /** Which run produced this result (differs from the run's id after --rerun-failed). */
  runId: string;
}

/**
 * A planned check as reports see it before it runs (the plan's own PlannedCheck adds
 * what running needs: spec, deadline, retries). Built from a plan by plan/plan.ts outlineOf.
 */
export interface CheckOutline {
  /** `<suite>/<check name>`, as in CheckResult.id. */
  id: string;
  name: string;
  kind: string;
  /** 1 + retries, when the plan knows it ("passed on attempt 2/3"). */
  maxAttempts?: number;
  /** Points of a graded check (a check that never ran still shows what it was worth). */
  points?: number;
}

export interface SuiteOutline {
  name: string;
  file: string;
  checks: CheckOutline[];
}

export interface SuiteResult {
  name: string;
  file: string;
  namespace: string;
  status: Status;
  durationMs: number;
  checks: CheckResult[];
  /** Problems outside any check (fixture apply failed, cleanup failed...). */
  errors: string[];
}

export interface ClusterInfo {
  name: string;
  provider: string;
  kubernetesVersion?: string;
  nodes?: number;
  cni?: string;
  cri?: string;
  /** kube-system namespace UID: identifies the cluster across runs. */
  uid?: string;
  shape?: Record<string, unknown>;
}

export interface RunResult {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  tool: { name: 'kconform'; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  cluster: ClusterInfo;
  suites: SuiteResult[];
  /** True when the run was stopped (Ctrl-C, SIGTERM) before every check ran. */
  interrupted: boolean;
  /** Run id of the report whose failures this run re-ran (--rerun-failed). */
  rerunOf?: string;
  /** Set when no check could run: the cluster could not be reached, created or set up. */
  harnessError?: HarnessError;
  /** --shard i/n: this run is part `index` of `total` (kconform merge puts the parts back in order). */
  shard?: { index: number; total: number };
  summary: Summary;
}

export interface HarnessError {
  /** What kconform was doing: "connecting to the cluster", "creating cluster", "building images"... */
  phase: string;
  /** The one-line (or few-line) cause, as printed on the terminal. */
  cause: string;
  /** The process's exit code (3). */
  exitCode: number;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
}

export function summarize(suites: SuiteResult[]): Summary {
  const s: Summary = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 };
  for (const suite of suites) {
    for (const c of suite.checks) {
      s.total++;
      if (c.flaky) s.flaky++;
      if (c.status === 'pass') s.passed++;
      else if (c.status === 'fail') s.failed++;
      else if (c.status === 'error') s.errored++;
      else s.skipped++;
    }
  }
  return s;
}

/** Worst status wins: error > fail > pass > skip. */
export function worstStatus(statuses: Status[]): Status {
  const order: Status[] = ['error', 'fail', 'pass', 'skip'];
  for (const s of order) if (statuses.includes(s)) return s;
  return 'skip';
}
