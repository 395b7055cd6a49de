// `scheduling` mode controlPlane: each control-plane node is named with its
// taint, and the scheduler is shown to honour it: a pod without a toleration,
// pinned to the node, stays Pending there; one with tolerations for its taints
// runs there. Changes no node (pods only, in the suite's namespace).
import type { SchedulingControlPlaneSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { createTracked } from '../common/probe-workload.ts';
import { secs } from '../common/timing-words.ts';
import { blockedSentence, nodeFacts, type Placement } from './node-facts.ts';
import { taintText } from './node-marks.ts';
import { placementTable, probePod, watchPlacements } from './probe-pods.ts';

const MAX_NODES = 3;

export async function runControlPlane(spec: SchedulingControlPlaneSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const expectTainted = spec.expectTainted ?? true;
  const scheduleMs = Math.min(spec.scheduleTimeout ? parseDuration(spec.scheduleTimeout) : 60_000, ctx.remainingMs() - 3_000);
  const base = probeBaseName(spec.name ?? 'scheduling-controlplane', ctx.attempt);
  const ns = ctx.namespace;
  const cps = (await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }))
    .map(nodeFacts)
    .filter((n) => n.role === 'control-plane')
    .sort((a, b) => a.name.localeCompare(b.name));
  if (cps.length === 0) return { status: 'skip', reason: 'no control-plane node is visible (a managed control plane?)' };
  const nodes = cps.slice(0, MAX_NODES);
  const pairs = nodes.map((n, i) => ({ node: n, plain: `${base}-plain-${i}`, tolerating: `${base}-tolerates-${i}` }));
  const involved: ObjectRef[] = nodes.map((n) => ({ apiVersion: 'v1', kind: 'Node', name: n.name }));

  ctx.log(`pinning a pod with and one without tolerations to ${nodes.map((n) => n.name).join(', ')}`);
  const common = { namespace: ns, image: ctx.images.agnhost };
  await Promise.all(
    pairs.flatMap((x) => [
      createTracked(ctx, probePod({ ...common, name: x.plain, labels: probeLabels(base, 'plain'), node: x.node.name })),
      createTracked(ctx, probePod({ ...common, name: x.tolerating, labels: probeLabels(base, 'tolerating'), node: x.node.name, tolerations: x.node.blocking.map((t) => ({ key: t.key, operator: 'Exists', effect: t.effect })) })),
    ]),
  );
  const decided = (x: Placement | undefined) => !!x && (x.ready || !!x.unschedulable || (!!x.node && /Err|BackOff/.test(x.state)));
  const r = await watchPlacements(ctx, base, (p) => ({ ok: pairs.every((x) => decided(p.find((q) => q.name === x.plain)) && decided(p.find((q) => q.name === x.tolerating))), verdict: p }), scheduleMs);
  const p = r.verdict;
  const evidence = [
    { kind: 'table' as const, title: 'control-plane nodes', columns: ['node', 'Ready', 'taints that keep pods off'], rows: nodes.map((n) => [n.name, n.ready ? 'yes' : 'no', n.blocking.map(taintText).join(', ') || 'none']) },
    placementTable('pods pinned to the control-plane nodes', p, nodes.map((n) => n.name)),
  ];

  const problems: string[] = [];
  const found: string[] = [];
  for (const x of pairs) {
    const plain = p.find((q) => q.name === x.plain);
    const tol = p.find((q) => q.name === x.tolerating);
    const sentence = blockedSentence(x.node);
    if (!tol?.ready) problems.push(`pod ${x.tolerating} tolerates every taint of ${x.node.name} but does not run there after ${secs(r.waitedMs)}: ${tol?.state ?? 'not created'}`);
    if (sentence) {
      if (!expectTainted) problems.push(sentence);
      else if (plain?.node) problems.push(`${sentence}, yet pod ${x.plain} (no toleration) was scheduled on it`);
      else if (!plain?.unschedulable) problems.push(`pod ${x.plain} (no toleration) was neither refused nor scheduled after ${secs(r.waitedMs)}`);
      else found.push(`${sentence} (pod ${x.plain} stays Pending: ${plain.unschedulable.replace(/\s+/g, ' ').trim()})`);
    } else if (expectTainted) {
      problems.push(`control-plane node ${x.node.name} has no NoSchedule taint: pods without a toleration run there${plain?.node ? ` (pod ${x.plain} was scheduled on it)` : ''}`);
    } else if (!plain?.ready) {
      problems.push(`control-plane node ${x.node.name} has no taint, but pod ${x.plain} does not run there after ${secs(r.waitedMs)}: ${plain?.state ?? 'not created'}`);
    } else found.push(`control-plane node ${x.node.name} has no NoSchedule taint: ordinary pods run there (pod ${x.plain} did)`);
  }
  const assertions = [
    { name: expectTainted ? 'control-plane nodes carry a NoSchedule taint the scheduler honours' : 'control-plane nodes take ordinary pods', passed: problems.every((q) => !/no toleration|no NoSchedule taint|pods without a toleration/.test(q)) },
    { name: 'a pod with the tolerations runs on the control plane', passed: !problems.some((q) => q.includes('tolerates every taint')) },
  ];
  const more = cps.length > MAX_NODES ? ` (${cps.length - MAX_NODES} more control-plane nodes not tried)` : '';
  if (problems.length > 0) return { status: 'fail', reason: `${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence, assertions, involved };
  return { status: 'pass', reason: `${found.join('; ')}; with the toleration, pod ${pairs.map((x) => x.tolerating).join(', ')} runs there${more}`, evidence, assertions };
}

