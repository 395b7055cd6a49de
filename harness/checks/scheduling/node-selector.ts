// `scheduling` mode nodeSelector: pods with a nodeSelector land on the
// labelled node(s) and only there. By default the check labels a worker itself
// (kconform.io/sched-<runId>=x, destructive, always removed); with `label` it
// uses a label the cluster already has (a grader's assignment) and changes no
// node, naming near misses when no node carries it.
import type { SchedulingNodeSelectorSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { createTracked } from '../common/probe-workload.ts';
import { noMatchSentence, selectorMatches, selectorText } from '../common/label-near-miss.ts';
import { secs } from '../common/timing-words.ts';
import { blockedSentence, nodeFacts, pickWorker, type NodeFacts } from './node-facts.ts';
import { labelNode, markKey } from './node-marks.ts';
import { placementTable, probeDeployment, probePod, watchPlacements } from './probe-pods.ts';

const NO_NODE_WAIT_MS = 15_000;

export async function runNodeSelector(spec: SchedulingNodeSelectorSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const replicas = spec.replicas ?? 3;
  const scheduleMs = Math.min(spec.scheduleTimeout ? parseDuration(spec.scheduleTimeout) : 60_000, ctx.remainingMs() - 5_000);
  const base = probeBaseName(spec.name ?? 'scheduling-nodeselector', ctx.attempt);
  const nodes = (await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal })).map(nodeFacts);

  let selector: Record<string, string>;
  let labelled: NodeFacts[];
  if (spec.label) {
    selector = { [spec.label.key]: spec.label.value };
    labelled = nodes.filter((n) => selectorMatches(selector, n.labels));
    if (labelled.length === 0) return noLabelledNode(ctx, base, selector, nodes);
  } else {
    if (ctx.readOnly) return { status: 'skip', reason: 'read-only mode: labelling a node changes the cluster (give `label` to use an existing node label instead)' };
    const pick = pickWorker(nodes, spec.node);
    if (!pick.node) return { status: 'skip', reason: `needs a worker to label: ${pick.why}` };
    selector = { [markKey(ctx.runId)]: 'x' };
    ctx.log(`labelling node ${pick.node.name} with ${selectorText(selector)}`);
    await labelNode(ctx, pick.node.name, markKey(ctx.runId), 'x');
    labelled = [pick.node];
  }
  const targetNames = labelled.map((n) => n.name);
  const involved: ObjectRef[] = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ctx.namespace }, ...targetNames.map((name) => ({ apiVersion: 'v1', kind: 'Node', name }))];

  ctx.log(`creating Deployment ${base}: ${replicas} pods with nodeSelector ${selectorText(selector)}`);
  await createTracked(ctx, probeDeployment({ name: base, namespace: ctx.namespace, image: ctx.images.agnhost, labels: probeLabels(base, 'pod'), nodeSelector: selector, replicas }));
  const r = await watchPlacements(
    ctx,
    base,
    (p) => {
      const stray = p.filter((x) => x.node && !targetNames.includes(x.node));
      const ready = p.filter((x) => x.ready && x.node && targetNames.includes(x.node));
      return { ok: stray.length > 0 || (ready.length === replicas && p.length === replicas), verdict: { p, stray, ready } };
    },
    scheduleMs,
  );
  const { p, stray, ready } = r.verdict;
  const where = targetNames.length === 1 ? `node ${targetNames[0]}` : `nodes ${targetNames.join(', ')}`;
  const evidence: Evidence[] = [placementTable(`pods with nodeSelector ${selectorText(selector)} (labelled: ${targetNames.join(', ')})`, p, targetNames)];
  const assertions = [
    { name: 'pods with the nodeSelector run on the labelled node', passed: ready.length === replicas },
    { name: 'and nowhere else', passed: stray.length === 0 },
  ];
  if (stray.length > 0) {
    return { status: 'fail', reason: `pod ${stray[0]!.name} runs on ${stray[0]!.node}, which does not carry ${selectorText(selector)} (labelled: ${targetNames.join(', ')}): the nodeSelector was not honoured`, evidence, assertions, involved };
  }
  if (!r.held) {
    const stuck = p.filter((x) => !x.ready);
    const blocked = labelled.map(blockedSentence).filter((s): s is string => !!s);
    return {
      status: 'fail',
      reason: `${ready.length}/${replicas} pods with nodeSelector ${selectorText(selector)} Ready on ${where} after ${secs(r.waitedMs)}${stuck[0] ? `: ${stuck[0].name} ${stuck[0].state}` : ''}${blocked.length ? `; ${blocked.join('; ')}` : ''}`,
      evidence,
      assertions,
      involved,
    };
  }
  return { status: 'pass', reason: `${replicas}/${replicas} pods with nodeSelector ${selectorText(selector)} run on ${where} (the labelled ${targetNames.length === 1 ? 'node' : 'nodes'}) and nowhere else`, evidence, assertions };
}

/** No node carries the label: say which nearly do, and show the scheduler's own words about one pod. */
async function noLabelledNode(ctx: CheckContext, base: string, selector: Record<string, string>, nodes: NodeFacts[]): Promise<CheckOutcome> {
  const sentence = noMatchSentence(selector, nodes.map((n) => ({ name: n.name, labels: n.labels })), 'node');
  const name = `${base}-probe`;
  ctx.log(`no node carries ${selectorText(selector)}; asking the scheduler about one pod`);
  await createTracked(ctx, probePod({ name, namespace: ctx.namespace, image: ctx.images.agnhost, labels: probeLabels(base, 'pod'), nodeSelector: selector }));
  const r = await watchPlacements(ctx, base, (p) => ({ ok: p.some((x) => x.unschedulable || x.node), verdict: p.find((x) => x.name === name) }), Math.min(NO_NODE_WAIT_MS, ctx.remainingMs() - 2_000));
  const said = r.verdict?.unschedulable ? `; a pod with this nodeSelector stays Pending: ${r.verdict.unschedulable}` : '';
  return {
    status: 'fail',
    reason: `no node carries label ${selectorText(selector)}; ${sentence.replace(/^selector \S+ matches no node; /, '')}${said}`,
    evidence: [{ kind: 'table', title: 'node labels', columns: ['node', 'labels'], rows: nodes.map((n) => [n.name, Object.entries(n.labels).filter(([k]) => !/kubernetes\.io\//.test(k)).map(([k, v]) => `${k}=${v}`).join(', ')]) }],
    assertions: [
      { name: 'pods with the nodeSelector run on the labelled node', passed: false },
      { name: 'and nowhere else', passed: true },
    ],
    involved: [{ apiVersion: 'v1', kind: 'Pod', name, namespace: ctx.namespace }],
  };
}
