// Runs a plan: suites (up to --parallel at once), each in its own namespace,
// checks in order, cleanup always. Results flow to the reporter; nothing here
// formats output.
import pLimit from 'p-limit';
import type { Kube } from '../kube/client.ts';
import { outlineOf, type Plan, type PlannedSuite } from '../plan/plan.ts';
import { LABEL_MANAGED, LABEL_RUN, LABEL_SUITE } from '../plan/ids.ts';
import { getCheck } from '../checks/registry.ts';
import type { CheckDefinition } from '../checks/types.ts';
import type { CheckKind } from '../checks/kinds.ts';
import type { CheckResult, ClusterInfo, RunResult, SuiteResult } from '../results/model.ts';
import { RESULTS_SCHEMA_VERSION, summarize, worstStatus } from '../results/model.ts';
import type { HookResult, Reporter } from '../report/reporter.ts';
import { redactText } from '../report/redact.ts';
import { Cleanup } from '../checks/cleanup.ts';
import type { ClusterShape } from '../cluster/shape.ts';
import { runCheck } from './check-runner.ts';
import { applyFixtures } from './fixtures.ts';
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
}

export async function runPlan(plan: Plan, deps: RunDeps): Promise<RunResult> {
  const startedAt = new Date();
  const planned = outlineOf(plan);
  await deps.reporter.onRunBegin?.({ runId: plan.runId, version: VERSION, cluster: deps.cluster, suites: planned });
  // Leftovers first: named before any check runs (or is skipped for the shape they cause).
  for (const line of describeLeftovers(deps.shape?.leftovers ?? [])) await deps.reporter.onLog?.(line);
  const limit = pLimit(Math.max(1, plan.options.parallel));
  const suites = await Promise.all(plan.suites.map((s) => limit(() => runSuite(plan, s, deps))));
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

type Gate = <T>(fn: () => Promise<T>) => Promise<T>;
const oneAtATime = pLimit(1);
const nodeLock: Gate = (fn) => oneAtATime(fn);
const noLock: Gate = (fn) => fn();

async function runSuite(plan: Plan, suite: PlannedSuite, deps: RunDeps): Promise<SuiteResult | undefined> {
  if (deps.signal.aborted) return undefined;
  const start = Date.now();
  const { kube, reporter } = deps;
  await reporter.onSuiteBegin?.(suite.name, suite.namespace);
  const cleanup = new Cleanup();
  const checks: CheckResult[] = [];
  const errors: string[] = [];
  const progress = (m: string) => detached(reporter.onLog?.(`${suite.name}: ${m}`));
  try {
    await kube.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: suite.namespace,
        labels: { [LABEL_RUN]: plan.runId, [LABEL_SUITE]: suite.name, [LABEL_MANAGED]: 'kconform' },
      },
    });
    cleanup.add(`delete namespace ${suite.namespace}`, () => kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: suite.namespace }, { wait: true, timeoutMs: 120_000 }));
    await applyFixtures(kube, suite.fixtures, cleanup, {
      timeoutMs: deps.fixtureTimeoutMs ?? 180_000,
      signal: deps.signal,
      progress,
    });
    for (const check of suite.checks) {
      if (deps.signal.aborted) break;
      await reporter.onCheckBegin?.(check.id);
      const definition = (deps.checks ?? getCheck)(check.spec.kind);
      // Checks that change nodes run one at a time even with --parallel: two drains
      // or taints on the same worker would spoil each other's proof.
      const exclusive = definition.needs(check.spec).destructive ? nodeLock : noLock;
      const result = await exclusive(() => runCheck(check, {
        kube,
        plan,
        suite: { name: suite.name, namespace: suite.namespace },
        definition,
        runSignal: deps.signal,
        progress: (m) => detached(reporter.onCheckProgress?.(check.id, m)),
        ...(deps.shape ? { shape: deps.shape } : {}),
      }));
      checks.push(result);
      await reporter.onCheckEnd?.(result);
    }
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
