// The `networkPolicy` check: builds the model (namespaces x pods x ports),
// checks that every flow is allowed with no policy, then runs each case: apply
// its policies, probe every flow in rounds until the observed truth table equals
// the expected one (time until enforced) or `settle` runs out, remove them.
import type { NetworkPolicyCheckSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { Evidence } from '../../results/model.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import { podReady, podState, type PodObject } from '../../kube/objects.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import { LABEL_MANAGED, LABEL_RUN } from '../../plan/ids.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { LABEL_CHECK, probeBaseName } from '../common/probe-manifests.ts';
import { resolvePodIps, type PolicyCase, type PolicyObject } from './spec/cases.ts';
import { allAllowed, compareTables, denialCount, describeMismatch, flows, podIds, renderTables, type Model, type Table } from './spec/model.ts';
import { expectedTable, parseRules } from './spec/notation.ts';
import { casesOf, modelOf } from './plan.ts';
import { probeRound, type ModelPods, type Round } from './rounds.ts';
import { judge, notEnforced, type StepResult } from './evaluate.ts';
import { modelPods, namespaceManifest, realNamespace } from './workload.ts';

const DEFAULT_SETTLE = '10s';
const DEFAULT_PROBE_TIMEOUT = '1s';
const DEFAULT_READY = '90s';

export const networkPolicyCheck: CheckDefinition<NetworkPolicyCheckSpec> = {
  kind: 'networkPolicy',
  proves: 'NetworkPolicy is enforced as the API says: every flow of a namespaces x pods x ports model matches the expected truth table of each case, measured by probing',
  standalone: true,
  needs: () => ({ minNodes: 1, minSchedulableWorkers: 1 }),
  async run(spec, ctx) {
    const model = modelOf(spec);
    const { cases, notes } = casesOf(spec, model);
    const settleMs = parseDuration(spec.settle ?? DEFAULT_SETTLE);
    const probeSec = parseDuration(spec.probeTimeout ?? DEFAULT_PROBE_TIMEOUT) / 1000;
    const base = probeBaseName(spec.name ?? spec.kind, ctx.attempt);
    const nsName = (short: string) => realNamespace(ctx.namespace, base, short, ctx.attempt);

    ctx.log(`creating ${model.namespaces.length} namespaces x ${model.pods.length} pods`);
    for (const short of model.namespaces) {
      const ns = namespaceManifest(nsName(short), short, ctx.runId, base);
      await ctx.kube.create(ns, { signal: ctx.signal });
      ctx.cleanup.add(`delete namespace ${ns.metadata.name}`, () => ctx.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name! }));
    }
    await Promise.all(modelPods(model, { nsName, image: ctx.images.agnhost, check: base, runId: ctx.runId }).map((p) => ctx.kube.create(p, { signal: ctx.signal })));

    const pods = await waitModelReady(ctx, model, nsName, base, Math.min(parseDuration(spec.readyTimeout ?? DEFAULT_READY), ctx.remainingMs()));
    if ('notReady' in pods) return { status: 'fail', reason: `model pods not Ready: ${pods.notReady}`, involved: pods.involved };

    // With no policy every flow must go through; otherwise the pod network is broken, not NetworkPolicy.
    ctx.log('baseline: every flow allowed with no policy');
    const baseline = await untilMatch(ctx, model, pods, allAllowed(model), probeSec, Math.min(30_000, ctx.remainingMs()));
    const evidence: Evidence[] = [];
    const modelRows = podIds(model).map((id) => [id, pods.byId.get(id)!.namespace, pods.byId.get(id)!.ip, pods.nodeOf.get(id) ?? '']);
    evidence.push({ kind: 'table', title: 'model pods', columns: ['pod', 'namespace', 'IP', 'node'], rows: modelRows });
    if (!baseline.matched) {
      const mm = compareTables(model, allAllowed(model), baseline.round.table);
      evidence.push({ kind: 'text', title: 'baseline (no policy)', text: renderTables(model, allAllowed(model), baseline.round.table) });
      return {
        status: 'fail',
        reason: `without any NetworkPolicy ${mm.length} of ${flows(model).length} flows fail, so policy cannot be judged: ${mm.slice(0, 3).map((m) => `${describeMismatch(m)}${detailOf(baseline.round, m.flow)}`).join('; ')}`,
        evidence,
      };
    }

    const results: StepResult[] = [];
    const ips = new Map([...pods.byId].map(([id, p]) => [id, p.ip]));
    let skipped = 0;
    for (const [ci, c] of cases.entries()) {
      if (ctx.remainingMs() < settleMs + 5_000) {
        skipped = cases.length - ci;
        notes.push(`${skipped} case(s) not run: the check's time ran out (${cases.slice(ci).map((x) => x.name).join(', ')})`);
        break;
      }
      const out = await runCase(ctx, model, pods, c, { ips, nsName, base, probeSec, settleMs });
      results.push(...out.results);
      evidence.push({ kind: 'text', title: `case ${c.name}`, text: out.text });
      // Nothing denied in the first cases that deny something: the CNI does not enforce policy; the rest would say the same.
      if (notEnforced(results) && results.some((r) => r.denies > 0)) {
        skipped = cases.length - ci - 1;
        if (skipped) notes.push(`${skipped} case(s) not run: nothing was denied so far`);
        break;
      }
    }

    const v = judge(results, { enforcement: spec.enforcement ?? 'required', flowsPerTable: flows(model).length, skippedCases: skipped });
    if (ctx.shape) ctx.shape.networkPolicy = v.enforcement;
    evidence.unshift({
      kind: 'table',
      title: 'cases (time until enforced: from the API change to the end of the first probe round that matched)',
      columns: ['case', 'step', 'result', 'enforced after', 'rounds', 'step time', 'denied / expected denials', 'mismatching cells'],
      rows: results.map((r) => [r.case, r.step, r.matched ? 'as expected' : 'MISMATCH', r.enforcedMs !== undefined ? `${(r.enforcedMs / 1000).toFixed(2)}s` : '-', r.rounds, `${(r.stepMs / 1000).toFixed(2)}s`, `${r.denied}/${r.denies}`, r.mismatches.length]),
    });
    if (notes.length) evidence.push({ kind: 'text', title: 'notes', text: notes.join('\n') });
    return {
      status: v.status,
      reason: v.reason,
      evidence,
      assertions: results.map((r) => ({ name: `${r.case} ${r.step}: table as expected`, passed: r.matched })),
    };
  },
};

interface ReadyPods extends ModelPods {
  nodeOf: Map<string, string>;
}

async function waitModelReady(ctx: CheckContext, model: Model, nsName: (s: string) => string, base: string, timeoutMs: number): Promise<ReadyPods | { notReady: string; involved: ObjectRef[] }> {
  const sel = { labelSelector: `${LABEL_CHECK}=${base},${LABEL_RUN}=${ctx.runId}` };
  const want = model.namespaces.flatMap((ns) => model.pods.map((p) => ({ id: `${ns}/${p}`, namespace: nsName(ns), name: p })));
  const find = (all: PodObject[], w: (typeof want)[number]) => all.find((p) => p.metadata.namespace === w.namespace && p.metadata.name === w.name);
  let last: PodObject[] = [];
  try {
    last = await ctx.kube.waitFor<PodObject>('v1', 'Pod', sel, (all) => {
      const missing = want.filter((w) => {
        const p = find(all, w);
        return !p || !podReady(p) || !p.status?.podIP;
      });
      return { done: missing.length === 0, observed: `${want.length - missing.length}/${want.length} Ready` };
    }, { description: `${want.length} model pods to be Ready`, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal });
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    last = await ctx.kube.list<PodObject>('v1', 'Pod', { ...sel, signal: ctx.signal });
    const bad = want.filter((w) => !find(last, w) || !podReady(find(last, w)!));
    return {
      notReady: bad.map((w) => `${w.id}: ${find(last, w) ? podState(find(last, w)!) : 'not created'}`).join(', '),
      involved: bad.map((w) => ({ apiVersion: 'v1', kind: 'Pod', namespace: w.namespace, name: w.name })),
    };
  }
  const byId = new Map(want.map((w) => [w.id, { namespace: w.namespace, name: w.name, ip: find(last, w)!.status!.podIP! }]));
  const nodeOf = new Map(want.map((w) => [w.id, find(last, w)?.spec?.nodeName ?? '']));
  return { byId, nodeOf };
}

/** Probe rounds until the observed table equals `expected` or `budgetMs` has passed since `since`. */
async function untilMatch(ctx: CheckContext, model: Model, pods: ModelPods, expected: Table, probeSec: number, budgetMs: number, since = Date.now()): Promise<{ matched: boolean; round: Round; rounds: number; atMs: number }> {
  let rounds = 0;
  for (;;) {
    const round = await probeRound(ctx, model, pods, probeSec);
    rounds++;
    const atMs = Date.now() - since;
    if (round.errors.length === 0 && compareTables(model, expected, round.table).length === 0) return { matched: true, round, rounds, atMs };
    if (atMs >= budgetMs || ctx.signal.aborted) return { matched: false, round, rounds, atMs };
    await new Promise((r) => setTimeout(r, 200));
  }
}

function detailOf(round: Round, f: { from: string; to: string }): string {
  const d = round.details.get(`${f.from} -> ${f.to}`);
  return d ? ` (${d})` : '';
}

interface CaseOptions {
  ips: Map<string, string>;
  nsName: (short: string) => string;
  base: string;
  probeSec: number;
  settleMs: number;
}

function policyObject(p: PolicyObject, o: CaseOptions, runId: string): KubeObject {
  const resolved = resolvePodIps(p, o.ips);
  return {
    ...resolved,
    metadata: { name: p.metadata.name, namespace: o.nsName(p.metadata.namespace), labels: { [LABEL_RUN]: runId, [LABEL_MANAGED]: 'kconform', [LABEL_CHECK]: o.base } },
  };
}

async function runCase(ctx: CheckContext, model: Model, pods: ModelPods, c: PolicyCase, o: CaseOptions): Promise<{ results: StepResult[]; text: string }> {
  const applied = new Map<string, ObjectRef>();
  const results: StepResult[] = [];
  const texts: string[] = [];
  const removeAll = async () => {
    await Promise.all([...applied.values()].map((ref) => ctx.kube.delete(ref).catch(() => false)));
    applied.clear();
  };
  ctx.cleanup.add(`delete the policies of case ${c.name}`, removeAll);
  try {
    for (const step of c.steps) {
      ctx.log(`case ${c.name}: ${step.label}`);
      const expected = expectedTable(model, parseRules(step.expect, model));
      const objs = step.apply.map((p) => policyObject(p, o, ctx.runId));
      const t0 = Date.now();
      if (objs.length) await ctx.kube.apply(objs, { signal: ctx.signal });
      for (const obj of objs) applied.set(`${obj.metadata.namespace}/${obj.metadata.name}`, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: obj.metadata.namespace!, name: obj.metadata.name! });
      for (const r of step.remove ?? []) {
        const [ns, name] = r.split('/') as [string, string];
        const ref: ObjectRef = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: o.nsName(ns), name };
        await ctx.kube.delete(ref);
        applied.delete(`${ref.namespace}/${name}`);
      }
      const m = await untilMatch(ctx, model, pods, expected, o.probeSec, o.settleMs, t0);
      const mismatches = compareTables(model, expected, m.round.table);
      const counts = denialCount(model, expected, m.round.table);
      results.push({ case: c.name, step: step.label, matched: m.matched, ...(m.matched ? { enforcedMs: m.atMs } : {}), rounds: m.rounds, stepMs: Date.now() - t0, mismatches, ...counts });
      texts.push(
        [
          `${step.label}: ${m.matched ? `as expected after ${(m.atMs / 1000).toFixed(2)}s (${m.rounds} round(s))` : `NOT as expected after ${(m.atMs / 1000).toFixed(1)}s (${m.rounds} rounds)`}`,
          `rules: ${step.expect.length ? step.expect.join('; ') : '(none: everything allowed)'}`,
          renderTables(model, expected, m.round.table),
          ...(mismatches.length ? ['mismatching cells:', ...mismatches.map((x) => `  ${describeMismatch(x)}${detailOf(m.round, x.flow)}`)] : []),
          ...(m.round.errors.length ? ['probe errors:', ...m.round.errors.map((e) => `  ${e}`)] : []),
        ].join('\n'),
      );
    }
  } finally {
    await removeAll();
  }
  return { results, text: texts.join('\n\n') };
}
