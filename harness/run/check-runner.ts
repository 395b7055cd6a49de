// Runs one planned check: deadline, retries (a pass after a failure is flaky),
// its own cleanup after every attempt, evidence on failure.
import type { CheckContext, CheckDefinition, CheckOutcome, SharedClient } from '../checks/types.ts';
import type { Kube } from '../kube/client.ts';
import type { PlannedCheck, Plan } from '../plan/plan.ts';
import type { Attempt, CheckResult, Evidence } from '../results/model.ts';
import { Cleanup } from '../checks/cleanup.ts';
import { AbortedError, WaitTimeoutError } from '../kube/errors.ts';
import { unmetNeed, type ClusterShape } from '../cluster/shape.ts';
import { collectEvidence } from './evidence.ts';
import { oneLine, verdictOf } from './outcome.ts';
import { DEADLINE_GRACE_MS, LAST_SEEN_WAIT_MS, VERDICT_MARGIN_MS, WAIT_AT_DEADLINE_MS, withinGrace } from './deadline.ts';
import { blockedByLeftovers } from './leftover-gate.ts';
import { NEVER_RAN_REASON } from '../report/never-ran.ts';
import { resultWithoutVerdict } from '../results/check-result.ts';

export interface CheckRunDeps {
  kube: Kube;
  plan: Plan;
  suite: { name: string; namespace: string };
  definition: CheckDefinition;
  runSignal: AbortSignal;
  progress(message: string): void;
  now?: () => number;
  shape?: ClusterShape;
  /** The suite's shared probe client, when the runner started one. */
  sharedClient?: SharedClient;
}

export async function runCheck(check: PlannedCheck, deps: CheckRunDeps): Promise<CheckResult> {
  const now = deps.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const start = now();
  const base = { id: check.id, suite: deps.suite.name, name: check.name, kind: check.spec.kind, startedAt, runId: deps.plan.runId };
  const hint = check.hint !== undefined ? { hint: check.hint } : {};
  const outline = { ...check, kind: check.spec.kind };

  const blocked = leftoverError(check, deps);
  if (blocked) {
    return resultWithoutVerdict(outline, deps.suite.name, { status: 'error', reason: blocked, runId: deps.plan.runId, startedAt });
  }
  const skip = skipReason(check, deps);
  if (skip) {
    return resultWithoutVerdict(outline, deps.suite.name, { status: 'skip', reason: skip, runId: deps.plan.runId, startedAt });
  }

  const attempts: Attempt[] = [];
  let verdictAt = start;
  let cleanupMs = 0;
  let last: { outcome?: CheckOutcome; status: CheckResult['status']; reason: string; evidence: Evidence[]; interrupted?: boolean } | undefined;
  for (let attempt = 1; attempt <= check.retries + 1; attempt++) {
    if (deps.runSignal.aborted) break;
    const t0 = now();
    const r = await runAttempt(check, deps, attempt);
    attempts.push({ attempt, status: r.status, reason: r.reason, durationMs: r.verdictAt - t0, evidence: r.evidence });
    verdictAt = r.verdictAt;
    cleanupMs += r.cleanupMs;
    last = r;
    if (r.status === 'pass' || r.status === 'skip') break;
  }
  if (!last) {
    return resultWithoutVerdict(outline, deps.suite.name, { status: 'skip', reason: NEVER_RAN_REASON, runId: deps.plan.runId, startedAt, attempts });
  }
  const flaky = last.status === 'pass' && attempts.length > 1;
  const assertions = last.outcome?.assertions ?? [];
  const earned = last.status === 'pass' ? 1 : assertions.length ? assertions.filter((a) => a.passed).length / assertions.length : 0;
  return {
    ...base,
    status: last.status,
    // The flaky marker is drawn by each reporter from `flaky` and `attempts`.
    reason: last.reason,
    // Time to the verdict (what a deadline bounds); undoing the check's changes comes after.
    durationMs: verdictAt - start,
    ...(cleanupMs > 0 ? { cleanupMs } : {}),
    evidence: last.evidence,
    assertions,
    flaky,
    attempts,
    // A hint explains a failing cluster; an interrupted check says nothing about it.
    ...(last.status === 'pass' || last.interrupted ? {} : hint),
    ...points(check, last.status === 'skip' ? 0 : earned),
  };
}

async function runAttempt(check: PlannedCheck, deps: CheckRunDeps, attempt: number) {
  const now = deps.now ?? Date.now;
  const deadline = now() + check.timeoutMs;
  const deadlineCtl = new AbortController();
  const timer = setTimeout(() => deadlineCtl.abort(new Error('deadline')), check.timeoutMs);
  const signal = AbortSignal.any([deps.runSignal, deadlineCtl.signal]);
  const cleanup = new Cleanup();
  let lastProgress: string | undefined;
  let decided: CheckOutcome | undefined;
  const ctx: CheckContext = {
    kube: deps.kube,
    namespace: deps.suite.namespace,
    runId: deps.plan.runId,
    nonce: deps.plan.nonce,
    signal,
    deadline,
    remainingMs: () => Math.max(0, deadline - now()),
    cleanup,
    readOnly: deps.plan.options.readOnly,
    log: (m) => {
      lastProgress = m;
      deps.progress(m);
    },
    images: deps.plan.images,
    attempt,
    ...(deps.shape ? { shape: deps.shape } : {}),
    ...(deps.sharedClient ? { sharedClient: deps.sharedClient } : {}),
    ...(deps.plan.options.maxWaitMs !== undefined ? { maxWaitMs: deps.plan.options.maxWaitMs } : {}),
    decide: (o) => {
      decided = o;
    },
  };
  let ended: { outcome: CheckOutcome } | { error: unknown };
  const running = deps.definition.run(check.spec, ctx);
  try {
    // Race the check against the deadline so a check stuck outside any wait still ends.
    ended = { outcome: await raceSignal(running, signal) };
  } catch (error) {
    ended = { error };
  } finally {
    clearTimeout(timer);
  }
  // At the deadline the check's own wait ends a moment later, saying what it last saw.
  let lastSeen: string | undefined;
  if (deadlineCtl.signal.aborted && !deps.runSignal.aborted) {
    const own = await withinGrace(running.then(() => undefined, (e: unknown) => e), LAST_SEEN_WAIT_MS);
    if (own instanceof WaitTimeoutError || own instanceof AbortedError) lastSeen = own.lastObserved;
  } else {
    running.catch(() => undefined);
  }
  // A wait cut short by the check's own deadline (its budget was the time left) is the deadline too.
  const waitAtDeadline = 'error' in ended && ended.error instanceof WaitTimeoutError && now() >= deadline - WAIT_AT_DEADLINE_MS;
  const deadlineHit = deadlineCtl.signal.aborted || waitAtDeadline;
  const verdict = verdictOf(ended, {
    interrupted: deps.runSignal.aborted,
    deadlineHit,
    timeoutMs: check.timeoutMs,
    ...(lastProgress !== undefined ? { lastProgress } : {}),
    ...(decided ? { decided } : {}),
    ...(lastSeen ? { lastSeen } : {}),
  });
  const outcome = 'outcome' in ended ? ended.outcome : undefined;
  let evidence: Evidence[] = [...(outcome?.evidence ?? [])];
  const policy = deps.plan.options.evidence;
  const failed = verdict.status === 'fail' || verdict.status === 'error';
  if (policy === 'always' || (policy === 'failure' && failed && !deps.runSignal.aborted)) {
    try {
      const involved = outcome?.involved ?? decided?.involved ?? [];
      const collecting = collectEvidence(deps.kube, deps.suite.namespace, involved);
      // After a deadline the verdict is due: evidence gets what is left of the grace.
      const more = deadlineHit ? await withinGrace(collecting, deadline + DEADLINE_GRACE_MS - VERDICT_MARGIN_MS - now()) : await collecting;
      if (more) evidence = evidence.concat(more);
      else evidence.push({ kind: 'text', title: 'evidence', text: `evidence collection stopped ${DEADLINE_GRACE_MS} ms after the deadline` });
    } catch (err) {
      evidence.push({ kind: 'text', title: 'evidence', text: `could not collect evidence: ${oneLine(String(err))}` });
    }
  }
  if (!outcome && decided?.evidence) evidence = [...decided.evidence, ...evidence];
  const verdictAt = now();
  // Undo what the check changed before the next attempt or check (drains, taints...).
  const undone = await cleanup.run();
  const cleanupMs = now() - verdictAt;
  for (const f of undone) evidence.push({ kind: 'text', title: 'cleanup failed', text: `${f.description}: ${f.error}` });
  if (undone.length && verdict.status === 'pass') {
    return { outcome, status: 'error' as const, reason: `check passed but its cleanup failed: ${undone[0]?.description}: ${undone[0]?.error}`, evidence, verdictAt, cleanupMs };
  }
  return { outcome, status: verdict.status, reason: verdict.reason, evidence, interrupted: !outcome && deps.runSignal.aborted, verdictAt, cleanupMs };
}

function leftoverError(check: PlannedCheck, deps: CheckRunDeps): string | undefined {
  if (check.skipReason) return undefined;
  const needs = deps.definition.needs(check.spec);
  // --read-only never runs a destructive check: it is skipped whatever the nodes carry.
  if (needs.destructive && deps.plan.options.readOnly) return undefined;
  return blockedByLeftovers(needs, deps.shape, check.name);
}

function skipReason(check: PlannedCheck, deps: CheckRunDeps): string | undefined {
  if (check.skipReason) return check.skipReason;
  const needs = deps.definition.needs(check.spec);
  if (needs.destructive && deps.plan.options.readOnly) {
    return 'read-only mode: this check changes the cluster (nodes, taints or labels)';
  }
  return deps.shape ? unmetNeed(needs, deps.shape, check.name) : undefined;
}

function points(check: PlannedCheck, earnedFraction: number): { points?: { earned: number; max: number } } {
  if (check.points === undefined) return {};
  return { points: { earned: Math.round(check.points * earnedFraction * 100) / 100, max: check.points } };
}

function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
