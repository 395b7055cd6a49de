// `scheduling` mode taints: a worker gets a NoSchedule taint
// (kconform.io/sched-<runId>=x, destructive, always removed). Then a pod that
// tolerates it, pinned to that worker, runs there; a pod without the toleration
// pinned there stays Pending with the scheduler naming the taint; and pods
// spread over the cluster avoid the worker. The tolerating pod goes first and
// the others only after it is Ready, so the scheduler has surely seen the taint.
import type { SchedulingTaintsSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { createTracked } from '../common/probe-workload.ts';
import { secs } from '../common/timing-words.ts';
import { nodeFacts, openNodes, pickWorker, type Placement } from './node-facts.ts';
import { markKey, taintNode, taintText, type Taint } from './node-marks.ts';
import { placementTable, probeDeployment, probePod, watchPlacements } from './probe-pods.ts';

export async function runTaints(spec: SchedulingTaintsSpec, ctx: CheckContext): Promise<CheckOutcome> {
  if (ctx.readOnly) return { status: 'skip', reason: 'read-only mode: tainting a node changes the cluster' };
  const scheduleMs = Math.min(spec.scheduleTimeout ? parseDuration(spec.scheduleTimeout) : 60_000, ctx.remainingMs() - 5_000);
  const base = probeBaseName(spec.name ?? 'scheduling-taints', ctx.attempt);
  const ns = ctx.namespace;
  const nodes = (await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal })).map(nodeFacts);
  const pick = pickWorker(nodes, spec.node);
  if (!pick.node) return { status: 'skip', reason: `needs a worker to taint: ${pick.why}` };
  const w = pick.node.name;
  const others = openNodes(nodes, w);
  const taint: Taint = { key: markKey(ctx.runId), value: 'x', effect: 'NoSchedule' };
  const names = { tolerating: `${base}-tolerates`, plain: `${base}-plain`, spread: `${base}-spread` };
  const spreadReplicas = Math.min(6, Math.max(2, 2 * others.length));
  const involved: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'Node', name: w },
    { apiVersion: 'v1', kind: 'Pod', name: names.tolerating, namespace: ns },
    { apiVersion: 'v1', kind: 'Pod', name: names.plain, namespace: ns },
  ];

  ctx.log(`tainting node ${w} with ${taintText(taint)}`);
  await taintNode(ctx, w, taint);
  const common = { namespace: ns, image: ctx.images.agnhost };
  await createTracked(ctx, probePod({ ...common, name: names.tolerating, labels: probeLabels(base, 'tolerating'), node: w, tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }] }));
  const first = await watchPlacements(ctx, base, (p) => {
    const t = p.find((x) => x.name === names.tolerating);
    return { ok: !!t?.ready || !!t?.unschedulable, verdict: p };
  }, scheduleMs);
  const tol = first.verdict.find((x) => x.name === names.tolerating);
  if (!tol?.ready) {
    return {
      status: 'fail',
      reason: `pod ${names.tolerating} tolerates ${taintText(taint)} and is pinned to ${w}, but is not running there after ${secs(first.waitedMs)}: ${tol?.state ?? 'not created'}`,
      evidence: [placementTable(`pods of the taint check (tainted: ${w})`, first.verdict, [w])],
      assertions: [{ name: 'a pod with the toleration runs on the tainted node', passed: false }],
      involved,
    };
  }

  ctx.log(`pod ${names.tolerating} runs on ${w}; now a pod without the toleration pinned to ${w}${others.length ? ` and ${spreadReplicas} spread pods` : ''}`);
  await createTracked(ctx, probePod({ ...common, name: names.plain, labels: probeLabels(base, 'plain'), node: w }));
  if (others.length > 0) {
    await createTracked(ctx, probeDeployment({ ...common, name: names.spread, labels: probeLabels(base, 'spread'), replicas: spreadReplicas }));
    involved.push({ apiVersion: 'apps/v1', kind: 'Deployment', name: names.spread, namespace: ns });
  }
  const spreadOf = (p: Placement[]) => p.filter((x) => x.name.startsWith(`${names.spread}-`));
  const r = await watchPlacements(
    ctx,
    base,
    (p) => {
      const plain = p.find((x) => x.name === names.plain);
      const spread = spreadOf(p);
      const onW = spread.filter((x) => x.node === w);
      const plainDecided = !!plain?.node || !!plain?.unschedulable;
      const spreadDone = others.length === 0 || (spread.length === spreadReplicas && spread.every((x) => x.ready)) || onW.length > 0;
      return { ok: plainDecided && spreadDone, verdict: p };
    },
    Math.min(scheduleMs, ctx.remainingMs() - 3_000),
  );
  const p = r.verdict;
  const plain = p.find((x) => x.name === names.plain);
  const spread = spreadOf(p);
  const onW = spread.filter((x) => x.node === w);
  const taintNamed = !!plain?.unschedulable && /taint/i.test(plain.unschedulable);
  const evidence = [placementTable(`pods of the taint check (tainted: ${w} with ${taintText(taint)})`, p, [w])];
  const assertions = [
    { name: 'a pod with the toleration runs on the tainted node', passed: true },
    { name: 'a pod without it stays off the tainted node', passed: !!plain && !plain.node && !!plain.unschedulable },
    ...(others.length > 0 ? [{ name: 'spread pods avoid the tainted node', passed: onW.length === 0 && spread.length === spreadReplicas && spread.every((x) => x.ready) }] : []),
  ];
  if (plain?.node) return { status: 'fail', reason: `pod ${names.plain} has no toleration for ${taintText(taint)} but was scheduled on tainted node ${plain.node}: the NoSchedule taint was not honoured`, evidence, assertions, involved };
  if (onW.length > 0) return { status: 'fail', reason: `spread pod ${onW[0]!.name} was scheduled on tainted node ${w} without a toleration for ${taintText(taint)}`, evidence, assertions, involved };
  if (!plain?.unschedulable) return { status: 'fail', reason: `pod ${names.plain} (no toleration, pinned to ${w}) was neither scheduled nor refused by the scheduler after ${secs(r.waitedMs)}: ${plain?.state ?? 'not created'}`, evidence, assertions, involved };
  if (!r.held) {
    const stuck = spread.find((x) => !x.ready);
    return { status: 'fail', reason: `${spread.filter((x) => x.ready).length}/${spreadReplicas} spread pods Ready after ${secs(r.waitedMs)}${stuck ? `: ${stuck.name} ${stuck.state}` : ''}`, evidence, assertions, involved };
  }
  const spreadWords = others.length > 0 ? `; ${spreadReplicas} spread pods ran on ${[...new Set(spread.map((x) => x.node))].sort().join(', ')}, none on ${w}` : '';
  return {
    status: 'pass',
    reason: `node ${w} tainted ${taintText(taint)}: a pod without the toleration stays Pending (${taintNamed ? 'the scheduler names the taint' : plain.unschedulable}), the tolerating pod runs there${spreadWords}`,
    evidence,
    assertions,
  };
}
