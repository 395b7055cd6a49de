// kconform as a library: `import { ... } from 'kconform'` (package.json "exports").
// The same run session the CLI uses (harness/run/session.ts): load suites, pick a
// cluster provider, run, read the result or let reporters write it. Nothing here
// adds behaviour; it names what a team's own tests may rely on.
//
//   const suites = [await suiteFromYaml(text, 'my-suite.yaml')];
//   const { result, exitCode } = await runSession({ suites, options: defaultRunOptions(), provider: kubeconfigProvider({ kubeconfig }), reporter: createReporters({ ... }) });

// Suites: files and folders, or YAML text written in a test; every problem with file:line:col.
export { loadSuites, loadSuiteFile, loadSuiteSource as suiteFromYaml, SuiteError, type LoadedSuite, type SuiteProblem } from './suite/load.ts';
export type { Suite } from './suite/schema.ts';

// The check kinds: the spec of each (what a suite's `checks:` entry holds) and their names.
export { CHECK_KINDS, type CheckKind, type CheckSpec } from './checks/kinds.ts';

// Providers: an existing cluster (kubeconfig) or a kind cluster made for the run.
export { kubeconfigProvider, type KubeconfigProviderOptions } from './cluster/kubeconfig-provider.ts';
export { kindProvider, type KindCluster, type KindUpOptions } from './cluster/kind/provider.ts';
export type { ClusterHandle, ClusterProvider, Progress } from './cluster/provider.ts';
export type { ClusterShape } from './cluster/shape.ts';

// Running.
export { runSession, planRun, NoChecksSelectedError, type SessionOptions, type SessionRun, type SessionPhase, type OpenFailure, type PlanInputs } from './run/session.ts';
export type { Plan, RunOptions, KeepPolicy, EvidencePolicy } from './plan/plan.ts';
export type { Selection, Shard } from './plan/select.ts';
export { EXIT, exitCodeOf } from './results/exit-codes.ts';

// Results and reporters.
export type { RunResult, SuiteResult, CheckResult, Status, Evidence, Summary, ClusterInfo, CheckOutline, SuiteOutline } from './results/model.ts';
export type { Reporter, RunBeginInfo } from './report/reporter.ts';
export { createReporters, type ReporterOptions } from './report/registry.ts';
export { ReporterMultiplexer } from './report/multiplexer.ts';

import type { RunOptions } from './plan/plan.ts';

/** The options `kconform run` uses when given no flags: one suite at a time, namespaces removed, evidence on failure. */
export function defaultRunOptions(over: Partial<RunOptions> = {}): RunOptions {
  return { parallel: 1, keep: 'never', readOnly: false, evidence: 'failure', ...over };
}
