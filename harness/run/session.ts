// One run, put together in one place for every entry point: `run`, `conformance`,
// `matrix` cells, `grade` students and the public API (harness/api.ts).
//   suites (loaded once, by the caller) -> plan (nothing selected: stop before any cluster)
//   -> the provider opens the cluster (kind: creates it) -> the safety rule for
//   destructive checks -> runner -> reporters -> exit code -> dispose (kind: delete).
// What differs between entry points is data: the provider, the reporters, the
// options, and the hooks (always-a-report, progress); never the order.
import type { LoadedSuite } from '../suite/load.ts';
import { buildPlan, outlineOf, type Plan, type RunOptions } from '../plan/plan.ts';
import { newNonce, newRunId } from '../plan/ids.ts';
import { describeSelection } from '../plan/select.ts';
import type { CheckKind } from '../checks/kinds.ts';
import type { CheckDefinition } from '../checks/types.ts';
import { builtInLabels } from '../checks/labels.ts';
import type { ClusterHandle, ClusterProvider } from '../cluster/provider.ts';
import { probeImages } from '../images/probe-images.ts';
import type { Reporter } from '../report/reporter.ts';
import type { ClusterInfo, RunResult, SuiteOutline } from '../results/model.ts';
import { exitCodeOf } from '../results/exit-codes.ts';
import { repoPath } from '../paths.ts';
import { holdBackDisruptive } from './disruptive.ts';
import { runPlan } from './runner.ts';

/** The selection (filter, grep, labels, shard) left no check to run. */
export class NoChecksSelectedError extends Error {
  override readonly name = 'NoChecksSelectedError';
}

export interface PlanInputs {
  suites: LoadedSuite[];
  options: RunOptions;
  runId?: string;
  /** Default: the repository's fixtures/ folder. */
  fixturesDir?: string;
  /** Default: the probe image pinned for this Kubernetes version (or $KCONFORM_AGNHOST_IMAGE). */
  images?: { agnhost: string };
}

/** The plan of a run; throws NoChecksSelectedError when the selection leaves nothing. */
export async function planRun(p: PlanInputs): Promise<Plan> {
  const plan = await buildPlan({
    suites: p.suites,
    runId: p.runId ?? newRunId(),
    nonce: newNonce(),
    options: p.options,
    fixturesDir: p.fixturesDir ?? repoPath('fixtures'),
    images: p.images ?? probeImages(),
    builtInLabels,
  });
  if (plan.suites.length === 0) {
    const { selection = {}, filter, shard } = p.options;
    const by = describeSelection({ ...selection, ...(filter ? { filter } : {}) });
    throw new NoChecksSelectedError(`no checks selected${by ? ` by ${by}` : ''}${shard ? ` in shard ${shard.index}/${shard.total}` : ''}`);
  }
  return plan;
}

export type SessionPhase = 'opening the cluster' | 'running suites' | 'closing the cluster';

export interface OpenFailure {
  /** What would have run (for the reports that say why nothing did). */
  suites: SuiteOutline[];
  runId: string;
  startedAt: Date;
  /** What the reports name as the cluster. */
  cluster: ClusterInfo;
  /** The run was stopped (Ctrl-C) while the cluster was being opened. */
  interrupted: boolean;
  openMs: number;
}

export interface SessionOptions extends PlanInputs {
  provider: ClusterProvider;
  reporter: Reporter;
  /** Aborted on Ctrl-C / SIGTERM: running checks stop, cleanup still runs, a kind cluster is deleted. */
  signal?: AbortSignal;
  /** Run destructive checks on a cluster kconform did not create (--allow-disruptive). */
  allowDisruptive?: boolean;
  /** Last word on the result before reporters see it (--rerun-failed merges, --shard labels). */
  finalize?: (r: RunResult) => RunResult;
  /** Lines about the run as a whole: which cluster, which checks the safety rule holds back. */
  say?: (line: string) => void;
  /** The cluster could not be opened (no check ran): the caller's "always a report". The error is rethrown after. */
  onOpenFailed?: (err: unknown, f: OpenFailure) => Promise<void>;
  /** Called as the session moves on (the CLI names the phase in its Ctrl-C line). */
  onPhase?: (phase: SessionPhase) => void;
  /** Called once the cluster is open, before any check (the CLI prints "cluster x ready"). */
  onOpened?: (handle: ClusterHandle, openMs: number) => void | Promise<void>;
  /** Check implementations by kind (tests pass their own). */
  checks?: (kind: CheckKind) => CheckDefinition;
}

export interface SessionRun {
  result: RunResult;
  /** The process exit code this result means: decided here for every entry point. */
  exitCode: number;
  /** Time to open the cluster (kind: create it) and to run the checks. */
  openMs: number;
  runMs: number;
}

const NEVER = new AbortController().signal;

export async function runSession(o: SessionOptions): Promise<SessionRun> {
  const signal = o.signal ?? NEVER;
  const say = o.say ?? (() => {});
  const plan = await planRun(o);
  const { shard } = plan.options;
  const shardNote = shard ? `, shard ${shard.index}/${shard.total}` : '';

  // Said once, before anything is sent: which cluster this is about to test.
  const known = o.provider.describe();
  if (known) say(`kconform: testing ${known}${shardNote}`);
  o.onPhase?.('opening the cluster');
  const t0 = Date.now();
  let handle: ClusterHandle;
  try {
    handle = await o.provider.open(signal);
  } catch (err) {
    const failure: OpenFailure = { suites: outlineOf(plan), runId: plan.runId, startedAt: new Date(t0), cluster: o.provider.placeholder, interrupted: signal.aborted, openMs: Date.now() - t0 };
    await o.onOpenFailed?.(err, failure);
    throw err;
  }
  const openMs = Date.now() - t0;
  try {
    await o.onOpened?.(handle, openMs);
    if (!known) say(`kconform: testing ${handle.target}${shardNote}`);
    const stating = new Set(o.suites.filter((l) => l.suite.disruptive).map((l) => l.suite.name));
    const { plan: safe, held } = holdBackDisruptive(plan, stating, { ownCluster: handle.ownCluster, allow: !!o.allowDisruptive, target: handle.target });
    if (held.length) say(`kconform: ${held.length} destructive check(s) will be skipped (${held.join(', ')}): ${handle.target} was not created by kconform; --allow-disruptive runs them`);
    o.onPhase?.('running suites');
    const t1 = Date.now();
    const result = await runPlan(safe, {
      kube: handle.kube,
      reporter: o.reporter,
      cluster: handle.info,
      shape: handle.shape,
      signal,
      awaitNamespaceDeletion: !handle.deletedOnDispose,
      ...(o.finalize ? { finalize: o.finalize } : {}),
      ...(o.checks ? { checks: o.checks } : {}),
    });
    return { result, exitCode: exitCodeOf(result), openMs, runMs: Date.now() - t1 };
  } finally {
    o.onPhase?.('closing the cluster');
    await handle.dispose();
  }
}
