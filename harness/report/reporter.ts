// The reporter contract: every hook optional, called in run order. A reporter
// consumes results (harness/results/model.ts) and never talks to the cluster.
// Hooks may return a promise; the multiplexer keeps the run going whatever a
// reporter does, and awaits everything before the run ends.
import type { CheckResult, ClusterInfo, RunResult, SuiteOutline, SuiteResult } from '../results/model.ts';

export interface RunBeginInfo {
  runId: string;
  cluster: ClusterInfo;
  /** What will run, in order (plan/plan.ts outlineOf). */
  suites: SuiteOutline[];
  /** kconform's version, for headers and for reports written before the run ends. */
  version?: string;
}

export type HookResult = void | Promise<void>;

export interface Reporter {
  /** Shown when this reporter fails ("reporter junit failed in onRunEnd: ..."). */
  readonly name?: string;
  /** True for a reporter that draws on the terminal; it also shows reporter errors. */
  readonly printsToStdio?: boolean;

  onRunBegin?(info: RunBeginInfo): HookResult;
  onSuiteBegin?(suiteName: string, namespace: string): HookResult;
  onCheckBegin?(checkId: string): HookResult;
  /** A progress line from a running check (ctx.log), not a result. */
  onCheckProgress?(checkId: string, message: string): HookResult;
  onCheckEnd?(result: CheckResult): HookResult;
  onSuiteEnd?(result: SuiteResult): HookResult;
  /** A harness line outside any check ("creating cluster", "cleanup: deleted ns x"). */
  onLog?(line: string): HookResult;
  /** A problem to show the user that is not a check result (a reporter that failed, a signal). */
  onError?(message: string): HookResult;
  onRunEnd?(result: RunResult): HookResult;

  /** Files this reporter has written so far, listed by the console at the end. */
  writtenFiles?(): string[];
}
