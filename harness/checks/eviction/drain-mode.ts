// Eviction mode "drain": cordon a worker and evict, through the Eviction API,
// this check's own pods on it (only pods of ctx.namespace carrying the check's
// label: never anybody else's), honouring the PodDisruptionBudget, leaving
// DaemonSet pods, retrying refusals like kubectl drain. The pods must come back
// Ready on other nodes, the node stay unschedulable until uncordoned, and the
// traffic through the Service lose no request. The uncordon is registered
// before the cordon (node-ops.ts), so any ending restores the node.
import type { EvictionSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import { pause, realClock } from '../../kube/clock.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Assertion, Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import { selectorOf } from '../common/probe-manifests.ts';
import { TrafficSession } from '../common/traffic-session.ts';
import { ANSWER_SLACK_SEC } from '../common/traffic.ts';
import { failuresText, lateText, summarizeTraffic, versionUrl, type TrafficSummary } from '../common/version-probe.ts';
import { isActive, type PodLite } from '../rollout/invariants.ts';
import { waitRollout } from '../rollout/deployment-ops.ts';
import { verifyServing } from '../common/version-serving.ts';
import { decideRefusal, dispositionOf, policyText, type DrainPod } from './drain.ts';
import { chooseWorker, leftovers, nodeFacts, usableWorkers } from './nodes.ts';
import { cordon, readNodes } from './node-ops.ts';
import { pdbWords, readPdb } from './pdb-ops.ts';
import { budget, daemonSet, evictionNames, serverDeployment, trafficClient, type EvictionNames } from './workload.ts';

const SERVICE_PORT = 80;
const RETRY_MS = 1_000;

type Pod = KubeObject & PodLite & DrainPod & { spec?: { nodeName?: string } };

interface PodDrain {
  pod: string;
  uid: string;
  action: 'evicted' | 'gone' | 'skipped' | 'blocked' | 'failed';
  refusals: number;
  detail: string;
  tookMs: number;
}

export async function runDrainMode(spec: EvictionSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const n = evictionNames(spec.name ?? spec.kind, ctx.attempt);
  const replicas = spec.replicas ?? 3;
  const policy = spec.pdb ?? { maxUnavailable: 1 };
  const readyMs = Math.min(parseDuration(spec.readyTimeout ?? '60s'), ctx.remainingMs());
  const maxTimeSec = parseDuration(spec.requestTimeout ?? '1s') / 1000;
  const withTraffic = spec.traffic !== false;
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: n.deployment, namespace: ctx.namespace },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: n.pdb, namespace: ctx.namespace },
  ];

  // Before anything: what earlier runs left, and whether pods will have somewhere to go.
  const before = (await readNodes(ctx)).map(nodeFacts);
  const left = leftovers(before);
  if (left.length) return { status: 'fail', reason: left[0]! + (left.length > 1 ? ` (+${left.length - 1} more)` : ''), evidence: [{ kind: 'text', title: 'left by earlier runs', text: left.join('\n') }] };
  if (spec.node) {
    const c = chooseWorker(before, { requested: spec.node });
    if ('problem' in c) return { status: 'fail', reason: c.problem };
  }
  const usable = usableWorkers(before);
  if (usable.length < 2) {
    return { status: 'skip', reason: `a drain needs 2 schedulable workers so the pods have somewhere to go (found ${usable.length}: ${usable.map((x) => x.name).join(', ') || 'none'})` };
  }

  ctx.log(`creating Deployment ${n.deployment} (${replicas} replicas), PDB ${n.pdb} (${policyText({ metadata: {}, spec: policy })}), DaemonSet ${n.daemonSet}, Service ${n.service}`);
  await createTracked(ctx, budget(n, { namespace: ctx.namespace, policy }));
  await createTracked(ctx, serverDeployment(n, { namespace: ctx.namespace, image: ctx.images.agnhost, replicas }));
  await createTracked(ctx, daemonSet(n, { namespace: ctx.namespace, image: ctx.images.agnhost }));
  const svc = await createTracked<KubeObject & { spec?: { clusterIP?: string } }>(ctx, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: n.service, namespace: ctx.namespace, labels: { 'app.kubernetes.io/managed-by': 'kconform', 'kconform.io/check': n.base } },
    spec: { type: 'ClusterIP', selector: n.serverSelector, ports: [{ name: 'http', protocol: 'TCP', port: SERVICE_PORT, targetPort: 8080 }] },
  });
  const up = await waitRollout(ctx, n.deployment, 'complete', readyMs);
  if (!up.reached) return { status: 'fail', reason: `Deployment ${n.deployment} not available after ${Math.round(up.tookMs / 1000)}s: ${up.state}`, involved };

  const servers = await listPods(ctx, selectorOf(n.serverSelector));
  const perNode = new Map<string, number>();
  for (const p of servers) if (isActive(p) && p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const chosen = chooseWorker(before, { ...(spec.node ? { requested: spec.node } : {}), podsPerNode: perNode });
  if ('problem' in chosen) return { status: 'fail', reason: chosen.problem, involved };
  const target = chosen.node;
  if (!perNode.get(target)) return { status: 'fail', reason: `no pod of Deployment ${n.deployment} runs on node ${target}: nothing to drain (pods on: ${[...perNode.keys()].join(', ')})`, involved };
  await waitDaemonSet(ctx, n, readyMs);

  let traffic: TrafficSession | undefined;
  if (withTraffic) {
    await createTracked(ctx, trafficClient(n, { namespace: ctx.namespace, image: ctx.images.agnhost, avoid: target }));
    const ready = await waitPodsReady(ctx, [n.client], `kconform.io/check=${n.base},kconform.io/role=client`, readyMs);
    if (ready.notReady.length) return { status: 'fail', reason: `client pod ${n.client} not Ready: ${ready.notReady[0]!.state}`, involved };
    const clusterIP = svc.spec?.clusterIP ?? '';
    const url = versionUrl(clusterIP, SERVICE_PORT, ctx.nonce);
    const serving = await verifyServing(ctx, { client: n.client, url, version: 'v1', streak: 2 * replicas, settleSec: 10, maxTimeSec });
    if (!serving.ok) return { status: 'fail', reason: `the Service ${n.service} does not serve before the drain: ${serving.words}`, involved };
    const rate = spec.requestsPerSecond ?? 10;
    traffic = await TrafficSession.start(ctx, n.client, { id: n.base, url, intervalMs: Math.round(1000 / rate), maxTimeSec, answerSlackSec: ANSWER_SLACK_SEC, durationSec: Math.ceil(ctx.remainingMs() / 1000) + 5 });
  }

  // --- the drain ---
  const drainStart = Date.now();
  ctx.log(`cordoning node ${target}`);
  const cordoned = await cordon(ctx, target);
  const drainMs = Math.min(parseDuration(spec.drainTimeout ?? '60s'), Math.max(5_000, ctx.remainingMs() - 30_000));
  const deadline = Date.now() + drainMs;
  const onNode = await ctx.kube.list<Pod>('v1', 'Pod', { namespace: ctx.namespace, labelSelector: n.allPods, fieldSelector: `spec.nodeName=${target}`, signal: ctx.signal });
  const plan = onNode.map((p) => ({ p, d: dispositionOf(p, ctx.namespace) }));
  ctx.log(`evicting ${plan.filter((x) => x.d.action === 'evict').length} pod(s) from ${target}`);
  const results: PodDrain[] = await Promise.all(
    plan.map(({ p, d }) =>
      d.action === 'skip'
        ? Promise.resolve<PodDrain>({ pod: p.metadata.name ?? '', uid: p.metadata.uid ?? '', action: 'skipped', refusals: 0, detail: d.why, tookMs: 0 })
        : evictWithRetries(ctx, p, n, deadline),
    ),
  );

  const problems: string[] = [];
  const blocked = results.filter((r) => r.action === 'blocked' || r.action === 'failed');
  problems.push(...blocked.map((r) => r.detail));
  const evicted = results.filter((r) => r.action === 'evicted' || r.action === 'gone');

  let elsewhere = '';
  let drainedMs = 0;
  if (blocked.length === 0) {
    ctx.log('waiting for the evicted pods to go and their replacements to be Ready elsewhere');
    const gone = await waitGone(ctx, n, evicted.map((r) => r.uid), Math.max(1_000, ctx.remainingMs() - 20_000));
    if (gone) problems.push(gone);
    const back = await waitRollout(ctx, n.deployment, 'complete', Math.max(1_000, Math.min(readyMs, ctx.remainingMs() - 15_000)));
    if (!back.reached) problems.push(`the evicted pods were not replaced within ${Math.round(back.tookMs / 1000)}s: ${back.state}`);
    const now = (await listPods(ctx, selectorOf(n.serverSelector))).filter(isActive);
    const stillThere = now.filter((p) => p.spec?.nodeName === target).map((p) => p.metadata.name);
    if (stillThere.length) problems.push(`pods still on drained node ${target}: ${stillThere.join(', ')}`);
    elsewhere = [...new Set(now.map((p) => p.spec?.nodeName ?? '?'))].sort().join(', ');
    drainedMs = Date.now() - drainStart;
  }

  const node = await ctx.kube.get<KubeObject & { spec?: { unschedulable?: boolean } }>({ apiVersion: 'v1', kind: 'Node', name: target });
  if (node?.spec?.unschedulable !== true) problems.push(`node ${target} is schedulable again during the drain (someone uncordoned it)`);
  const daemonLeft = (await listPods(ctx, `kconform.io/check=${n.base},kconform.io/role=daemon`)).filter((p) => isActive(p) && p.spec?.nodeName === target);
  if (results.some((r) => r.action === 'skipped' && r.detail.startsWith('DaemonSet')) && daemonLeft.length === 0) problems.push(`the DaemonSet pod on ${target} was removed: a drain leaves DaemonSet pods`);

  let summary: TrafficSummary | undefined;
  if (traffic) {
    const log = await traffic.stop();
    summary = summarizeTraffic(log.records, ctx.nonce, { offsetMs: traffic.offsetMs, origin: drainStart, from: drainStart, slowSec: maxTimeSec });
    const allowedFailures = spec.maxFailedRequests ?? 0;
    if (summary.failed > allowedFailures) {
      problems.push(`${summary.failed}/${summary.total} requests failed during the drain (allowed ${allowedFailures}; ${failuresText(summary.failures)}; first ${summary.firstFailures[0] ?? 'n/a'})`);
    }
    if (summary.total === 0) problems.push('no request was made through the Service during the drain');
  }

  ctx.log(`uncordoning node ${target}`);
  await cordoned.uncordon();
  const restored = await ctx.kube.get<KubeObject & { spec?: { unschedulable?: boolean } }>({ apiVersion: 'v1', kind: 'Node', name: target });
  if (restored?.spec?.unschedulable) problems.push(`node ${target} is still unschedulable after uncordon`);

  const pdb = await readPdb(ctx, n.pdb);
  const evidence: Evidence[] = [
    {
      kind: 'table',
      title: `drain of node ${target} (PDB ${n.pdb}: ${policyText(pdb)})`,
      columns: ['pod', 'result', 'refusals (429)', 'took', 'detail'],
      rows: results.map((r) => [r.pod, r.action, r.refusals, `${(r.tookMs / 1000).toFixed(1)}s`, r.detail]),
    },
    { kind: 'text', title: `PDB ${n.pdb}`, text: pdbWords(pdb) },
  ];
  if (summary) {
    evidence.push({
      kind: 'timeline',
      title: `requests per second through the Service during the drain (${summary.total} requests, ${summary.failed} failed)`,
      series: ['ok', 'failed'],
      points: summary.buckets.map((b) => ({ t: b.second * 1000, values: { ok: b.ok, failed: b.failed } })),
    });
  }
  const refusals = results.reduce((a, r) => a + r.refusals, 0);
  const assertions: Assertion[] = [
    { name: 'evictions honour the PDB (refusals retried, none blocked for good)', passed: blocked.length === 0 },
    { name: 'evicted pods replaced and Ready on other nodes', passed: blocked.length === 0 && !problems.some((p) => /not replaced|still on drained|did not go/.test(p)) },
    { name: 'node unschedulable during the drain, schedulable after', passed: !problems.some((p) => /schedulable/.test(p)) },
    ...(summary ? [{ name: 'no request lost during the drain', passed: summary.failed <= (spec.maxFailedRequests ?? 0) && summary.total > 0 }] : []),
  ];
  if (problems.length === 0) {
    const skipped = results.filter((r) => r.action === 'skipped').length;
    return {
      status: 'pass',
      reason:
        `drained ${target} in ${(drainedMs / 1000).toFixed(1)}s: ${evicted.length} pod(s) evicted${refusals ? ` (${refusals} refusal(s) by PDB ${n.pdb} retried)` : ''}, replaced Ready on ${elsewhere}; ` +
        `${skipped} DaemonSet pod(s) left; node unschedulable until uncordoned${summary ? `; ${summary.failed}/${summary.total} requests failed${lateText(summary, maxTimeSec)}` : ''}`,
      evidence,
      assertions,
    };
  }
  return { status: 'fail', reason: `${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence, assertions, involved };
}

async function listPods(ctx: CheckContext, labelSelector: string): Promise<Pod[]> {
  return ctx.kube.list<Pod>('v1', 'Pod', { namespace: ctx.namespace, labelSelector, signal: ctx.signal });
}

/** Evicts one pod, retrying 429s (re-reading the budget each time) until evicted, blocked for good, or the deadline. */
async function evictWithRetries(ctx: CheckContext, p: Pod, n: EvictionNames, deadline: number): Promise<PodDrain> {
  const pod = p.metadata.name ?? '';
  const uid = p.metadata.uid ?? '';
  const start = Date.now();
  let refusals = 0;
  for (;;) {
    const r = await ctx.kube.evict(ctx.namespace, pod, { signal: ctx.signal });
    const tookMs = Date.now() - start;
    if (r.status === 200 || r.status === 201) return { pod, uid, action: 'evicted', refusals, detail: refusals ? `evicted after ${refusals} refusal(s)` : 'evicted', tookMs };
    if (r.status === 404) return { pod, uid, action: 'gone', refusals, detail: 'already gone', tookMs };
    if (r.status !== 429) return { pod, uid, action: 'failed', refusals, detail: `eviction of ${pod} failed: HTTP ${r.status} ${r.message}`, tookMs };
    refusals++;
    const pdb = await readPdb(ctx, n.pdb);
    const d = decideRefusal({ pod, message: r.message, ...(pdb ? { pdb } : {}), refusals, firstAt: start, now: Date.now(), deadline, retryMs: RETRY_MS });
    if (d.action === 'blocked') return { pod, uid, action: 'blocked', refusals, detail: d.reason, tookMs: Date.now() - start };
    await pause(realClock, d.afterMs, ctx.signal);
    if (ctx.signal.aborted) return { pod, uid, action: 'failed', refusals, detail: `eviction of ${pod} interrupted`, tookMs: Date.now() - start };
  }
}

/** Waits until none of the evicted pods (by uid) exists; a problem in words otherwise. */
async function waitGone(ctx: CheckContext, n: EvictionNames, uids: string[], timeoutMs: number): Promise<string | undefined> {
  if (uids.length === 0) return undefined;
  try {
    await ctx.kube.waitFor<Pod>(
      'v1',
      'Pod',
      { namespace: ctx.namespace, labelSelector: selectorOf(n.serverSelector) },
      (pods) => {
        const left = pods.filter((p) => uids.includes(p.metadata.uid ?? '')).map((p) => p.metadata.name);
        return { done: left.length === 0, observed: left.length ? `still there: ${left.join(', ')}` : 'all gone' };
      },
      { description: 'the evicted pods to go', timeoutMs, signal: ctx.signal },
    );
    return undefined;
  } catch (err) {
    if (err instanceof WaitTimeoutError) return `the evicted pods did not go: ${err.lastObserved}`;
    throw err;
  }
}

async function waitDaemonSet(ctx: CheckContext, n: EvictionNames, timeoutMs: number): Promise<void> {
  try {
    await ctx.kube.waitFor<KubeObject & { status?: { desiredNumberScheduled?: number; numberReady?: number } }>(
      'apps/v1',
      'DaemonSet',
      { namespace: ctx.namespace, name: n.daemonSet },
      ([ds]) => {
        const want = ds?.status?.desiredNumberScheduled ?? 0;
        const ready = ds?.status?.numberReady ?? 0;
        return { done: want > 0 && ready >= want, observed: `${ready}/${want} ready` };
      },
      { description: `DaemonSet ${n.daemonSet} to be ready`, timeoutMs, signal: ctx.signal },
    );
  } catch (err) {
    // Without its pods the drain still runs; the skipped-DaemonSet assertion just has nothing to show.
    if (!(err instanceof WaitTimeoutError)) throw err;
  }
}
