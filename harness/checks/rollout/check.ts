// The `rollout` check: a probe Deployment (v1) behind a Service, steady traffic
// from a client pod through the whole check, then an update to v2, rollbacks
// (previous revision, then an optional named one) and an optional stuck
// rollout, every Pod and ReplicaSet event recorded and judged afterwards
// (invariants.ts). See evaluate.ts for the verdict.
import type { RolloutSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { nodeChangeTolerations } from '../common/node-change-tolerations.ts';
import { clientPod, probeBaseName, probeLabels, selectorOf, service } from '../common/probe-manifests.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import { EventRecorder } from '../common/event-recorder.ts';
import { TrafficSession } from '../common/traffic-session.ts';
import { ANSWER_SLACK_SEC } from '../common/traffic.ts';
import { lateText, summarizeTraffic, versionedDeployment, versionedPodTemplate, versionOf, versionUrl, type Readiness, type TrafficSummary } from '../common/version-probe.ts';
import { checkInvariants, type InvariantReport, type RecordedEvent } from './invariants.ts';
import { resolveLimits } from './strategy.ts';
import { evaluateRollout, type PhaseResult } from './evaluate.ts';
import { currentReplicaSet, podsNotOn, readDeployment, replicaSetVersions, rollBack, setProgressDeadline, setTemplate, waitRollout } from './deployment-ops.ts';
import { revisionNumber } from './status.ts';
import { verifyServing } from '../common/version-serving.ts';
import type { PodObject } from '../../kube/objects.ts';
import { problemWords } from './new-pod-problems.ts';

const SERVICE_PORT = 80;
/** A replaced pod keeps serving this long so the Service forgets it before it stops. */
const PRESTOP_SEC = 3;
const SETTLE_SEC = 10;
const DEFAULT_PROGRESS_DEADLINE_SEC = 600;

export const rolloutCheck: CheckDefinition<RolloutSpec> = {
  kind: 'rollout',
  proves: 'a rolling update under steady traffic loses no request, keeps pods within maxSurge/maxUnavailable at every event, ends with every pod on the new version; rollback restores the old one; a stuck rollout is reported',
  standalone: true,
  // Every pod tolerates this run's node changes and none is pinned (see template and client below).
  needs: () => ({ minNodes: 1, toleratesNodeChanges: true }),
  run: (spec, ctx) => runRollout(spec, ctx),
};

async function runRollout(spec: RolloutSpec, ctx: CheckContext) {
  const replicas = spec.replicas ?? 3;
  const limits = resolveLimits(replicas, spec.maxSurge, spec.maxUnavailable);
  const maxTimeSec = parseDuration(spec.requestTimeout ?? '1s') / 1000;
  const rate = spec.requestsPerSecond ?? 10;
  const rolloutMs = parseDuration(spec.rolloutTimeout ?? '60s');
  const startDelaySec = Math.ceil(parseDuration(spec.startDelay ?? '0s') / 1000);
  const readiness: Readiness = spec.readiness ?? 'http';
  const base = probeBaseName(spec.name ?? spec.kind, ctx.attempt);
  const serverLabels = probeLabels(base, 'server');
  const selector = { 'kconform.io/check': base, 'kconform.io/role': 'server' };
  const sel = selectorOf(selector);
  const client = `${base}-client`;
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ctx.namespace },
    { apiVersion: 'v1', kind: 'Service', name: base, namespace: ctx.namespace },
    { apiVersion: 'v1', kind: 'Pod', name: client, namespace: ctx.namespace },
  ];
  // A drain, test taint or cordon of this run beside the rollout leaves its pods alone.
  const tolerations = nodeChangeTolerations(ctx.runId);
  const template = (version: string, r: Readiness = readiness, image = ctx.images.agnhost) =>
    versionedPodTemplate({ version, image, labels: serverLabels, readiness: r, startDelaySec, preStopSec: PRESTOP_SEC, spread: selector, tolerations });

  ctx.log(`creating Deployment ${base} (v1, ${replicas} replicas, maxSurge ${limits.maxSurge}, maxUnavailable ${limits.maxUnavailable}) and its Service`);
  const svc = await createTracked<KubeObject & { spec?: { clusterIP?: string } }>(
    ctx,
    service({ name: base, namespace: ctx.namespace, labels: probeLabels(base, 'service'), selector, port: SERVICE_PORT }),
  );
  const clusterIP = svc.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') throw new Error(`Service ${base} got no ClusterIP`);
  await createTracked(
    ctx,
    versionedDeployment({
      name: base,
      namespace: ctx.namespace,
      replicas,
      labels: probeLabels(base, 'deployment'),
      selector,
      template: template('v1'),
      ...(spec.maxSurge !== undefined ? { maxSurge: spec.maxSurge } : {}),
      ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
    }),
  );
  await createTracked(ctx, clientPod({ name: client, namespace: ctx.namespace, image: ctx.images.agnhost, labels: probeLabels(base, 'client'), tolerations }));

  const readyMs = Math.min(parseDuration(spec.readyTimeout ?? '60s'), ctx.remainingMs());
  ctx.log('waiting for v1 to be available');
  const [v1, clientReady] = await Promise.all([waitRollout(ctx, base, 'complete', readyMs), waitPodsReady(ctx, [client], `kconform.io/check=${base},kconform.io/role=client`, readyMs)]);
  if (!v1.reached) return { status: 'fail' as const, reason: `v1 of Deployment ${base} was not available after ${Math.round(v1.tookMs / 1000)}s: ${v1.state}`, involved };
  if (clientReady.notReady.length > 0) return { status: 'fail' as const, reason: `client pod ${client} not Ready: ${clientReady.notReady[0]!.state}`, involved };

  const url = versionUrl(clusterIP, SERVICE_PORT, ctx.nonce);
  const serve = (version: string) => verifyServing(ctx, { client, url, version, streak: 2 * replicas, settleSec: SETTLE_SEC + startDelaySec, maxTimeSec });
  ctx.log('checking that the Service serves v1');
  const first = await serve('v1');
  if (!first.ok) return { status: 'fail' as const, reason: `the Service ${base} does not serve v1 before the update: ${first.words}`, involved };

  // Record from a steady state: every Pod and ReplicaSet event from here on is judged.
  const recorder = EventRecorder.start(
    ctx.kube,
    [
      { apiVersion: 'v1', kind: 'Pod', sel: { namespace: ctx.namespace, labelSelector: sel } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', sel: { namespace: ctx.namespace, labelSelector: sel } },
    ],
    ctx.signal,
  );
  const stopRecorder = ctx.cleanup.add('stop watching pods', () => recorder.stop().catch(() => undefined));
  const armed = await recorder.until((ev) => checkInvariants(asStream(ev), limits).armedAt !== undefined, 15_000, ctx.signal);
  if (!armed) throw new Error('the pod watch did not deliver the steady v1 state within 15s');

  ctx.log(`starting traffic (${rate}/s) through ${clusterIP}:${SERVICE_PORT}`);
  const traffic = await TrafficSession.start(ctx, client, {
    id: base,
    url,
    intervalMs: Math.round(1000 / rate),
    maxTimeSec,
    answerSlackSec: ANSWER_SLACK_SEC,
    durationSec: Math.ceil(ctx.remainingMs() / 1000) + 5,
  });

  const phases: PhaseResult[] = [];
  const phaseMs = () => Math.max(1_000, Math.min(rolloutMs, ctx.remainingMs() - 15_000));
  let current = 'v1';

  /** One rollout: start it, wait for it, look at pods, revision and the Service. */
  const phase = async (
    name: string,
    kind: PhaseResult['kind'],
    start: () => Promise<{ version: string; reuse?: string } | { error: string }>,
  ): Promise<PhaseResult> => {
    const from = Date.now();
    const before = revisionNumber(await readDeployment(ctx, base));
    ctx.log(name);
    const started = await start();
    const deadlineMs = phaseMs();
    // Less than its own budget: the check's time left decided, not the cluster (see evaluate.ts).
    const budget = deadlineMs < rolloutMs ? { budgetMs: rolloutMs } : {};
    if ('error' in started) {
      const r: PhaseResult = { name, kind, version: current, from, to: Date.now(), revisionBefore: before, revisionAfter: before, reached: false, tookMs: 0, deadlineMs, state: '', error: started.error };
      phases.push(r);
      return r;
    }
    // Pods of the revision being rolled out are watched: the first one that cannot become Ready ends the wait.
    const newPods = kind === 'stuck' ? undefined : { selector: sel, isNew: (p: PodObject) => versionOf(p.spec as never) === started.version };
    const w = await waitRollout(ctx, base, kind === 'stuck' ? 'stuck' : 'complete', deadlineMs, newPods);
    const after = w.deployment ? revisionNumber(w.deployment) : before;
    const r: PhaseResult = { name, kind, version: started.version, from, to: 0, revisionBefore: before, revisionAfter: after, reached: w.reached, tookMs: w.tookMs, deadlineMs, ...budget, state: w.state };
    if (w.podProblem) {
      r.podProblem = problemWords(w.podProblem);
      ctx.log(`${name}: ${r.podProblem}`);
      // The evidence has decided the check; a rollback may follow.
      ctx.decide?.({ status: 'fail', reason: `${name} cannot complete: ${r.podProblem}`, involved });
    }
    if (w.reached && kind !== 'stuck') {
      r.strayPods = await podsNotOn(ctx, sel, started.version);
      if (started.reuse) r.reuse = { expected: started.reuse, actual: await currentReplicaSet(ctx, base, sel) };
      r.serving = await serve(started.version);
      current = started.version;
    }
    r.to = Date.now();
    phases.push(r);
    return r;
  };

  const rollbackStart = (toRevision: number) => async () => {
    const c = await rollBack(ctx, base, sel, toRevision);
    if (!c.ok) return { error: c.reason };
    return { version: versionOf(c.template.spec as never) ?? '?', reuse: c.replicaSet };
  };

  const update = await phase('update to v2', 'update', async () => {
    await setTemplate(ctx, base, template('v2', readiness, spec.updateImage ?? ctx.images.agnhost));
    return { version: 'v2' };
  });
  if (!update.reached && !update.error && spec.rollbackIfBroken) {
    const back = await phase('rollback from the failed update', 'rollback', rollbackStart(0));
    update.recoveredBy = back.reached && back.serving?.ok !== false ? `rolled back to ${back.version} (revision ${back.revisionAfter}) in ${(back.tookMs / 1000).toFixed(1)}s; ${back.version} serves again` : `the rollback did not recover: ${back.podProblem ?? back.error ?? back.state}`;
  }
  if (update.reached && spec.rollback !== false) {
    const back = await phase('rollback to the previous revision', 'rollback', rollbackStart(0));
    if (back.reached && spec.toRevision !== undefined) await phase(`rollback to revision ${spec.toRevision}`, 'rollback', rollbackStart(spec.toRevision));
  }
  if (spec.stuck && phases.every((p) => p.reached)) {
    // Rollbacks only revisit v1 and v2, so the broken version is always the third.
    const bad = 'v3';
    const deadlineSec = Math.max(1, Math.round(parseDuration(spec.progressDeadline ?? '10s') / 1000));
    const stuck = await phase(`stuck rollout to ${bad}`, 'stuck', async () => {
      await setTemplate(ctx, base, template(bad, 'never'), { progressDeadlineSeconds: deadlineSec });
      return { version: bad };
    });
    if (stuck.reached) {
      await phase('rollback from the stuck rollout', 'rollback', rollbackStart(0));
      await setProgressDeadline(ctx, base, DEFAULT_PROGRESS_DEADLINE_SEC);
    }
  }

  ctx.log('stopping traffic and the watches');
  const log = await traffic.stop();
  stopRecorder();
  const recorded = await recorder.stop();
  const invariants = checkInvariants(asStream(recorded), limits);
  const origin = recorder.origin;
  const whole = summarizeTraffic(log.records, ctx.nonce, { offsetMs: traffic.offsetMs, origin, slowSec: maxTimeSec });
  const byPhase: Record<string, TrafficSummary> = {};
  for (const p of phases) byPhase[p.name] = summarizeTraffic(log.records, ctx.nonce, { offsetMs: traffic.offsetMs, origin, from: p.from, to: p.to, slowSec: maxTimeSec });

  const v = evaluateRollout({ phases, invariants, traffic: whole, trafficByPhase: byPhase, maxFailedRequests: spec.maxFailedRequests ?? 0, origin });
  const versions = await replicaSetVersions(ctx, sel);
  const evidence = rolloutEvidence(phases, invariants, whole, byPhase, versions, log.resolution);
  if (v.ok) return { status: 'pass' as const, reason: `${v.summary}${lateText(whole, maxTimeSec)}`, evidence, assertions: v.assertions };
  if (v.undecided) throw new Error(v.undecided);
  evidence.push({ kind: 'text', title: 'problems', text: v.problems.join('\n') });
  if (whole.firstFailures.length) evidence.push({ kind: 'text', title: 'first failed requests', text: whole.firstFailures.join('\n') });
  return {
    status: 'fail' as const,
    reason: `${v.problems[0]}${v.problems.length > 1 ? ` (+${v.problems.length - 1} more)` : ''}`,
    evidence,
    involved,
    assertions: v.assertions,
  };
}

function asStream(ev: readonly { t: number; kind: string; type: RecordedEvent['type']; object: unknown }[]): RecordedEvent[] {
  return ev.filter((e) => e.kind === 'Pod' || e.kind === 'ReplicaSet') as RecordedEvent[];
}

function rolloutEvidence(
  phases: PhaseResult[],
  inv: InvariantReport,
  traffic: TrafficSummary,
  byPhase: Record<string, TrafficSummary>,
  versions: Map<string, { version: string; revision: number }>,
  resolution: 'ms' | 's' | undefined,
): Evidence[] {
  const setLabel = (rs: string) => `${versions.get(rs)?.version ?? '?'} ${rs}`;
  const sets = [...new Set(inv.points.flatMap((p) => Object.keys(p.perSet)))].sort();
  const fell = inv.falls.length > 0;
  const podSeries = [...sets.map(setLabel), 'available', 'terminating', ...(fell ? ['fell NotReady'] : [])];
  const versionSeries = [...new Set(traffic.buckets.flatMap((b) => Object.keys(b.versions)))].sort();
  return [
    {
      kind: 'table',
      title: 'rollouts',
      columns: ['phase', 'version', 'revision', 'took', 'result', 'requests (failed)'],
      rows: phases.map((p) => [
        p.name,
        p.version,
        `${p.revisionBefore} -> ${p.revisionAfter}`,
        `${(p.tookMs / 1000).toFixed(1)}s`,
        p.error ?? (p.reached ? (p.kind === 'stuck' ? 'ProgressDeadlineExceeded' : p.serving?.ok === false ? `serves: ${p.serving.words}` : 'complete') : `not reached: ${p.state}`),
        `${byPhase[p.name]?.total ?? 0} (${byPhase[p.name]?.failed ?? 0})`,
      ]),
    },
    {
      kind: 'timeline',
      title: `active pods per ReplicaSet (every watch event; limits: ${inv.limits.replicas} replicas, maxSurge ${inv.limits.maxSurge}, maxUnavailable ${inv.limits.maxUnavailable})`,
      series: podSeries,
      points: inv.points.map((p) => ({
        t: p.t,
        values: { ...Object.fromEntries(sets.map((s) => [setLabel(s), p.perSet[s] ?? 0])), available: p.available, terminating: p.terminating, ...(fell ? { 'fell NotReady': p.fallen } : {}) },
      })),
    },
    {
      kind: 'timeline',
      title: `requests per second through the Service (${traffic.total} requests, ${traffic.failed} failed${traffic.slow ? `, ${traffic.slow} answered late` : ''}${resolution === 's' ? '; whole-second timestamps' : ''})`,
      series: ['ok', 'failed', ...versionSeries],
      points: traffic.buckets.map((b) => ({ t: b.second * 1000, values: { ok: b.ok, failed: b.failed, ...b.versions } })),
    },
  ];
}
