// The rollout check's verdict from what it saw: each phase (update, rollbacks,
// stuck rollout), the invariant report over the watched events, and the
// traffic summary. Pure; the first problem becomes the one-line reason.
import type { InvariantReport } from './invariants.ts';
import { failuresText, type TrafficSummary } from '../common/version-probe.ts';

export interface PhaseResult {
  /** "update to v2", "rollback to v1", "rollback to revision 2", "stuck rollout to v3", "rollback from the stuck rollout". */
  name: string;
  kind: 'update' | 'rollback' | 'stuck';
  /** The version every pod should run at the end of the phase. */
  version: string;
  /** Harness epoch ms. */
  from: number;
  to: number;
  revisionBefore: number;
  revisionAfter: number;
  /** update/rollback: complete; stuck: reported as ProgressDeadlineExceeded. */
  reached: boolean;
  /** Time until reached. */
  tookMs: number;
  deadlineMs: number;
  /** The phase's own budget (rolloutTimeout) when the check's time left made deadlineMs shorter. */
  budgetMs?: number;
  /** Last rollout state in words. */
  state: string;
  /** Active pods not on `version`, in words (empty when all are). */
  strayPods?: string;
  /** The Service answered `version` only (after a short settle), or what it answered instead. */
  serving?: { ok: boolean; words: string };
  /** Rollbacks: the ReplicaSet the controller should have reused, and the one it used. */
  reuse?: { expected: string; actual: string };
  /** The phase could not start (no history, paused...). */
  error?: string;
  /** Why a new pod of this phase's revision cannot become Ready (named as soon as it showed). */
  podProblem?: string;
  /** Rolled back because this phase could not complete (rollbackIfBroken). */
  recoveredBy?: string;
}

export interface RolloutFindings {
  phases: PhaseResult[];
  invariants: InvariantReport;
  /** Whole-check traffic. */
  traffic: TrafficSummary;
  /** Traffic per phase name. */
  trafficByPhase: Record<string, TrafficSummary>;
  maxFailedRequests: number;
  /** ms since the recorder's origin, for messages. */
  origin: number;
}

export interface RolloutVerdict {
  ok: boolean;
  summary: string;
  problems: string[];
  assertions: { name: string; passed: boolean; message?: string }[];
  /** Nothing failed, but a phase was cut short by the check's own deadline: the harness cannot say. */
  undecided?: string;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** The phase a moment (harness epoch ms) belongs to. */
function phaseAt(phases: PhaseResult[], at: number): PhaseResult | undefined {
  return phases.find((p) => at >= p.from && at <= p.to);
}

export function evaluateRollout(f: RolloutFindings): RolloutVerdict {
  const problems: string[] = [];
  // `blocking`: the phase never got where it was going, which explains whatever follows.
  const phaseProblems: { phase: string; text: string; blocking: boolean }[] = [];
  const cut: string[] = [];
  const add = (p: PhaseResult, text: string, blocking = false) => phaseProblems.push({ phase: p.name, text: `${p.name}${text}`, blocking });
  for (const p of f.phases) {
    if (p.error) {
      add(p, `: ${p.error}`, true);
      continue;
    }
    if (!p.reached && p.podProblem) {
      add(p, ` cannot complete: ${p.podProblem} (named after ${secs(p.tookMs)})${p.recoveredBy ? `; ${p.recoveredBy}` : ''}`, true);
      continue;
    }
    if (!p.reached && p.budgetMs !== undefined && p.deadlineMs < p.budgetMs) {
      // Not given its budget (the check's time was spent before it started): says nothing of the cluster.
      cut.push(`${p.name} was given ${secs(p.deadlineMs)} of its ${secs(p.budgetMs)} (the check's timeout was nearly spent when it started) and had not completed: ${p.state}`);
      continue;
    }
    if (!p.reached) {
      add(p, p.kind === 'stuck' ? ` was not reported as ProgressDeadlineExceeded within ${secs(p.deadlineMs)}: ${p.state}` : ` did not complete within ${secs(p.deadlineMs)}: ${p.state}`, true);
      continue;
    }
    if (p.revisionAfter <= p.revisionBefore) add(p, `: the revision did not advance (${p.revisionBefore} -> ${p.revisionAfter})`);
    if (p.kind === 'stuck') continue;
    if (p.strayPods) add(p, `: not every pod runs ${p.version}: ${p.strayPods}`);
    if (p.reuse && p.reuse.expected !== p.reuse.actual) {
      add(p, `: the controller did not reuse ReplicaSet ${p.reuse.expected} (pods came from ${p.reuse.actual}): the copied template differs`);
    }
    if (p.serving && !p.serving.ok) add(p, `: the Service does not serve ${p.version} only: ${p.serving.words}`);
  }

  const inv = f.invariants;
  const breachProblems = inv.breaches.map((b) => {
    const phase = phaseAt(f.phases, f.origin + b.t);
    return `${b.rule} broken${phase ? ` during the ${phase.name}` : ''} at +${secs(b.t)}: ${b.detail}`;
  });
  if (inv.armedAt === undefined) breachProblems.unshift('the watched pods never reached the steady state (every replica available), so the rollout invariants could not be judged');

  const trafficProblems: string[] = [];
  if (f.traffic.failed > f.maxFailedRequests) {
    const worst = Object.entries(f.trafficByPhase)
      .filter(([, s]) => s.failed > 0)
      .sort(([, a], [, b]) => b.failed - a.failed)[0];
    const where = worst ? `: ${worst[1].failed} during the ${worst[0]} (${failuresText(worst[1].failures)}; first ${worst[1].firstFailures[0] ?? 'n/a'})` : ` (${failuresText(f.traffic.failures)}; first ${f.traffic.firstFailures[0] ?? 'n/a'})`;
    trafficProblems.push(`${f.traffic.failed}/${f.traffic.total} requests failed (allowed ${f.maxFailedRequests})${where}`);
  }
  if (f.traffic.total === 0) trafficProblems.push('no request was made through the Service (the traffic loop logged nothing)');

  // A phase that never finished explains the rest; then what broke the promises; then the details.
  problems.push(...phaseProblems.filter((p) => p.blocking).map((p) => p.text));
  problems.push(...trafficProblems, ...breachProblems);
  problems.push(...phaseProblems.filter((p) => !p.blocking).map((p) => p.text));

  const l = inv.limits;
  const assertions = [
    { name: `no failed request (allowed ${f.maxFailedRequests})`, passed: trafficProblems.length === 0, ...(trafficProblems[0] ? { message: trafficProblems[0] } : {}) },
    { name: `pods within maxSurge ${l.maxSurge} / maxUnavailable ${l.maxUnavailable} at every event`, passed: breachProblems.length === 0, ...(breachProblems[0] ? { message: breachProblems[0] } : {}) },
    ...f.phases.map((p) => {
      const mine = phaseProblems.filter((x) => x.phase === p.name);
      return {
        name: p.kind === 'stuck' ? `${p.name} reported as ProgressDeadlineExceeded` : `${p.name} completes, revision advances, ${p.version} serves`,
        passed: mine.length === 0,
        ...(mine[0] ? { message: mine[0].text } : {}),
      };
    }),
  ];

  const steps = f.phases.map((p) => {
    const what = p.kind === 'stuck' ? `stuck ${p.version} rev ${p.revisionAfter}: ProgressDeadlineExceeded` : `${p.kind === 'rollback' ? 'undo ' : ''}${p.version} rev ${p.revisionAfter}`;
    return `${what} (${secs(p.tookMs)})`;
  });
  const first = f.phases[0];
  // A pod whose own probe failed is not the controller's doing: named, not counted (invariants.ts).
  const falls = inv.falls.length
    ? `; ${inv.falls.map((x) => `${x.pod} fell NotReady by itself at +${secs(x.t)}`).join(', ')} (its readiness probe failed, it was not deleted: counted available for maxUnavailable)`
    : '';
  const summary =
    `${f.traffic.failed}/${f.traffic.total} requests failed; surge<=${l.maxSurge} unavailable<=${l.maxUnavailable} at every event (peak ${inv.peakActive} active, ${inv.peakUnavailable} unavailable); ` +
    [`v1 rev ${first ? first.revisionBefore : '?'}`, ...steps].join(' -> ') +
    falls;
  // A phase cut short by the check's own deadline is the verdict only when nothing else failed.
  const undecided = problems.length === 0 && cut.length > 0 ? `${cut.join('; ')}: raise the check's timeout` : undefined;
  return { ok: problems.length === 0 && cut.length === 0, summary, problems, assertions, ...(undecided ? { undecided } : {}) };
}
