// Runs a plan: each suite in its own namespace, cleanup always. With
// --parallel 1, suites and checks one at a time in order; above 1, every
// suite is set up first and its checks go to one scheduler (scheduler.ts) that
// runs up to N at once over all suites, a check that changes nodes alone.
// Results flow to the reporter; nothing here formats output.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Kube } from '../kube/client.ts';
import { outlineOf, type Plan, type PlannedCheck, type PlannedSuite } from '../plan/plan.ts';
import { LABEL_MANAGED, LABEL_RUN, LABEL_SUITE } from '../plan/ids.ts';
import { getCheck } from '../checks/registry.ts';
import { probeBaseName } from '../checks/common/probe-manifests.ts';
import type { CheckDefinition, SharedClient } from '../checks/types.ts';
import type { CheckKind } from '../checks/kinds.ts';
import type { CheckResult, ClusterInfo, RunResult, SuiteResult } from '../results/model.ts';
import { RESULTS_SCHEMA_VERSION, summarize, worstStatus } from '../results/model.ts';
import type { HookResult, Reporter } from '../report/reporter.ts';
import { redactText } from '../report/redact.ts';
import { Cleanup } from '../checks/cleanup.ts';
import type { ClusterShape } from '../cluster/shape.ts';
import { runCheck } from './check-runner.ts';
import { CheckScheduler, waitsFor } from './scheduler.ts';
import { resolveParallel } from './concurrency.ts';
import { applyFixtures } from './fixtures.ts';
import { startSharedClient } from './shared-client.ts';
import { errorText, oneLine } from './outcome.ts';
import { VERSION } from '../version.ts';
import { describeLeftovers } from '../cluster/leftovers.ts';
import { withNeverRan } from '../report/never-ran.ts';
import { resultWithoutVerdict } from '../results/check-result.ts';

export interface RunDeps {
  kube: Kube;
  reporter: Reporter;
  cluster: ClusterInfo;
  /** Aborted on Ctrl-C / SIGTERM: running checks stop, cleanup still runs. */
  signal: AbortSignal;
  fixtureTimeoutMs?: number;
  /** Last word on the result before reporters see it (--rerun-failed merges the old report). */
  finalize?: (r: RunResult) => RunResult;
  /** Read once before the run; checks whose needs it does not meet are skipped. */
  shape?: ClusterShape;
  /** Check implementations by kind (tests pass their own). */
  checks?: (kind: CheckKind) => CheckDefinition;
  /**
   * Wait until each suite's namespace is gone (default). Off when the cluster is
   * deleted after the run: the delete is still sent, and a refused one reported.
   */
  awaitNamespaceDeletion?: boolean;
}

export async function runPlan(plan: Plan, deps: RunDeps): Promise<RunResult> {
  const startedAt = new Date();
  const planned = outlineOf(plan);
  await deps.reporter.onRunBegin?.({ runId: plan.runId, version: VERSION, cluster: deps.cluster, suites: planned });
  // Leftovers first: named before any check runs (or is skipped for the shape they cause).
  for (const line of describeLeftovers(deps.shape?.leftovers ?? [])) await deps.reporter.onLog?.(line);
  const slots = resolveParallel(plan.options.parallel);
  let suites: (SuiteResult | undefined)[];
  if (slots === 1) {
    suites = [];
    for (const s of plan.suites) suites.push(await runSuite(plan, s, deps, serialChecks));
  } else {
    const scheduler = new CheckScheduler(slots);
    // The scheduler opens once every suite is set up (or failed to be), so the
    // checks that change nodes can go first, before anything else runs.
    let setUp = 0;
    const settled = () => {
      if (++setUp === plan.suites.length) scheduler.openGate();
    };
    const setups = pLimit(slots);
    suites = await Promise.all(plan.suites.map((s, i) => runSuite(plan, s, deps, scheduledChecks(scheduler, i), { settled, setups })));
  }
  const finishedAt = new Date();
  const ran = suites.filter((s): s is SuiteResult => s !== undefined);
  // Interrupted: every planned check is listed; those that never ran are skipped with "interrupted".
  const listed = deps.signal.aborted ? withNeverRan(ran, planned, plan.runId, finishedAt.toISOString()) : ran;
  const raw: RunResult = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'kconform', version: VERSION },
    runId: plan.runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    cluster: deps.cluster,
    suites: listed,
    interrupted: deps.signal.aborted,
    summary: summarize(listed),
  };
  const result = deps.finalize ? deps.finalize(raw) : raw;
  await deps.reporter.onRunEnd?.(result);
  return result;
}

/**
 * A hook whose caller cannot wait for it (a progress line from inside a fixture or a
 * check): a reporter that rejects is said on stderr instead of becoming an unhandled
 * rejection, which would wind the whole run down as an internal error.
 */
function detached(hook: HookResult): void {
  if (hook) hook.catch((err: unknown) => process.stderr.write(`kconform: a reporter failed on a progress line: ${redactText(oneLine(errorText(err)))}\n`));
}

/** Runs one check of a suite (reporter hooks included) and keeps its result. */
type RunOne = (check: PlannedCheck) => Promise<void>;
/** How a suite's checks are run once it is set up. */
/** `queued` is called once the checks that can start at once are handed over. */
type RunChecks = (plan: Plan, suite: PlannedSuite, runOne: RunOne, deps: RunDeps, queued: () => void) => Promise<void>;

const serialChecks: RunChecks = async (_plan, suite, runOne, deps) => {
  for (const check of suite.checks) {
    if (deps.signal.aborted) break;
    await runOne(check);
  }
};

function scheduledChecks(scheduler: CheckScheduler, index: number): RunChecks {
  return async (plan, suite, runOne, deps, queued) => {
    const defs = suite.checks.map((c) => definitionOf(c, deps));
    const order = waitsFor(standaloneChecks(suite.checks, defs));
    const done: Promise<unknown>[] = [];
    suite.checks.forEach((check, i) => {
      const needs = defs[i]!.needs(check.spec);
      const exclusive = !check.skipReason && !plan.options.readOnly && (needs.alone ?? needs.destructive === true);
      const submit = () => (deps.signal.aborted ? undefined : scheduler.submit({ suite: index, exclusive, tolerant: needs.toleratesNodeChanges === true, slow: check.labels?.slow === 'true', run: () => runOne(check) }));
      // Those that wait for nothing are queued now, before the scheduler opens.
      done[i] = order[i]!.length === 0 ? Promise.resolve(submit()) : Promise.allSettled(order[i]!.map((j) => done[j]!)).then(submit);
    });
    queued();
    // Every check has ended before the suite's namespace goes; the first failure is the suite's.
    const ended = await Promise.allSettled(done);
    const failed = ended.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
}

/**
 * A kind that keeps to its own objects names them after the check (the first 30
 * characters, probeBaseName): two checks of a suite whose names give the same
 * base would share objects, so they keep their order.
 */
function standaloneChecks(checks: readonly PlannedCheck[], defs: readonly CheckDefinition[]): boolean[] {
  const bases = checks.map((c) => probeBaseName(c.spec.name ?? c.spec.kind));
  return checks.map((c, i) => defs[i]!.standalone === true && c.spec.name !== undefined && bases.filter((b) => b === bases[i]).length === 1);
}

function definitionOf(check: PlannedCheck, deps: RunDeps): CheckDefinition {
  return (deps.checks ?? getCheck)(check.spec.kind);
}

async function runSuite(
  plan: Plan,
  suite: PlannedSuite,
  deps: RunDeps,
  runChecks: RunChecks,
  together?: { settled(): void; setups: LimitFunction },
): Promise<SuiteResult | undefined> {
  if (deps.signal.aborted) {
    together?.settled();
    return undefined;
  }
  const start = Date.now();
  const { kube, reporter } = deps;
  try {
    await reporter.onSuiteBegin?.(suite.name, suite.namespace);
  } catch (err) {
    // The other suites wait for this one to be set up: it never will be.
    together?.settled();
    throw err;
  }
  const cleanup = new Cleanup();
  const checks: CheckResult[] = [];
  const errors: string[] = [];
  const progress = (m: string) => detached(reporter.onLog?.(`${suite.name}: ${m}`));
  let settled = false;
  const queued = () => {
    if (!settled) together?.settled();
    settled = true;
  };
  let sharedClient: SharedClient | undefined;
  const runOne: RunOne = async (check) => {
    await reporter.onCheckBegin?.(check.id);
    const result = await runCheck(check, {
      kube,
      plan,
      suite: { name: suite.name, namespace: suite.namespace },
      definition: definitionOf(check, deps),
      runSignal: deps.signal,
      progress: (m) => detached(reporter.onCheckProgress?.(check.id, m)),
      ...(deps.shape ? { shape: deps.shape } : {}),
      ...(sharedClient ? { sharedClient } : {}),
    });
    checks.push(result);
    await reporter.onCheckEnd?.(result);
  };
  const setUp = async () => {
    await kube.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: suite.namespace,
        labels: { [LABEL_RUN]: plan.runId, [LABEL_SUITE]: suite.name, [LABEL_MANAGED]: 'kconform' },
      },
    });
    cleanup.add(`delete namespace ${suite.namespace}`, () => kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: suite.namespace }, { wait: deps.awaitNamespaceDeletion !== false, timeoutMs: 120_000 }));
    // Started before the fixtures so it is Ready by the first check; it goes with the namespace.
    if (suite.checks.some((c) => definitionOf(c, deps).usesSharedClient?.(c.spec))) {
      sharedClient = await startSharedClient(kube, { namespace: suite.namespace, runId: plan.runId, image: plan.images.agnhost, signal: deps.signal }, progress);
    }
    await applyFixtures(kube, suite.fixtures, cleanup, {
      timeoutMs: deps.fixtureTimeoutMs ?? 180_000,
      signal: deps.signal,
      progress,
    });
  };
  try {
    try {
      await (together ? together.setups(setUp) : setUp());
    } catch (err) {
      queued();
      throw err;
    }
    await runChecks(plan, suite, runOne, deps, queued);
  } catch (err) {
    // Setup failed (namespace, fixtures): every check not yet run is an error with that reason.
    const reason = `suite setup failed: ${oneLine(err instanceof Error ? err.message : String(err))}`;
    errors.push(reason);
    await reporter.onError?.(`${suite.name}: ${reason}`);
    for (const check of suite.checks.filter((c) => !checks.some((r) => r.id === c.id))) {
      const r = resultWithoutVerdict({ ...check, kind: check.spec.kind }, suite.name, { status: 'error', reason, runId: plan.runId, startedAt: new Date().toISOString() });
      checks.push(r);
      await reporter.onCheckEnd?.(r);
    }
  } finally {
    const keep = plan.options.keep === 'always' || (plan.options.keep === 'on-failure' && checks.some((c) => c.status === 'fail' || c.status === 'error'));
    if (keep) {
      await reporter.onLog?.(`${suite.name}: kept namespace ${suite.namespace} (remove with: kconform clean --run ${plan.runId})`);
    } else {
      progress(`cleaning up ${suite.namespace}`);
      for (const f of await cleanup.run()) {
        errors.push(`cleanup: ${f.description}: ${f.error}`);
        await reporter.onError?.(`${suite.name}: cleanup failed: ${f.description}: ${f.error}`);
      }
    }
  }
  // Checks may end out of order when run together: the report keeps the suite's order.
  const rank = new Map(suite.checks.map((c, i) => [c.id, i]));
  checks.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  const result: SuiteResult = {
    name: suite.name,
    file: suite.file,
    namespace: suite.namespace,
    status: worstStatus(checks.map((c) => c.status)),
    durationMs: Date.now() - start,
    checks,
    errors,
  };
  await reporter.onSuiteEnd?.(result);
  return result;
}
