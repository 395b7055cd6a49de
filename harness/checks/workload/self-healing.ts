// `workload` mode selfHealing: delete one pod of a Deployment and watch the
// Deployment, its ReplicaSet, its pods and its Service's EndpointSlices until a
// replacement is Ready, the count is back and the deleted pod has left the
// endpoints; each of those moments is timed.
import type { WorkloadSelfHealingSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { probeBaseName } from '../common/probe-manifests.ts';
import { settle } from '../../kube/settle.ts';
import { secs } from '../common/timing-words.ts';
import { waitServiceReady } from '../service/service-ready.ts';
import { judgeHealing, type HealingState } from './evaluate.ts';
import { createDeployment, deploymentSources, observed } from './deployment-watch.ts';

export async function runSelfHealing(spec: WorkloadSelfHealingSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const replicas = spec.replicas ?? 3;
  const withinMs = spec.within ? parseDuration(spec.within) : 60_000;
  const base = probeBaseName(spec.name ?? 'workload-selfhealing', ctx.attempt);
  ctx.log(`creating Deployment ${base} (${replicas} replicas) and Service ${base}`);
  const scope = await createDeployment(ctx, base, replicas);
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ctx.namespace },
    { apiVersion: 'v1', kind: 'Service', name: base, namespace: ctx.namespace },
  ];
  const ready = await waitServiceReady(ctx, { ...scope, replicas, timeoutMs: Math.min(90_000, ctx.remainingMs() - withinMs - 5_000) });
  if (!ready.held) return { status: 'fail', reason: ready.reason!, involved };

  const pods = ready.state.pods.filter((p) => !p.metadata.deletionTimestamp);
  const victim = [...pods].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0]!;
  const victimName = victim.metadata.name ?? '';
  const before = pods.map((p) => p.metadata.uid ?? '');
  const marks: { replacementSeen?: number; replacementReady?: number; victimLeft?: number; healed?: number } = {};

  ctx.log(`deleting pod ${victimName} (${victim.status?.podIP}) and watching for its replacement`);
  const t0 = Date.now();
  await ctx.kube.delete({ apiVersion: 'v1', kind: 'Pod', name: victimName, namespace: ctx.namespace }, { signal: ctx.signal });
  const r = await settle(
    ctx.kube,
    deploymentSources(scope),
    (sets) => {
      const s = judgeHealing(observed(sets), scope, { replicas, victim: victimName, before });
      const t = Date.now() - t0;
      if (s.replacement && marks.replacementSeen === undefined) marks.replacementSeen = t;
      if (s.replacement?.ready && marks.replacementReady === undefined) marks.replacementReady = t;
      if (!s.victimListed && marks.victimLeft === undefined) marks.victimLeft = t;
      if (s.done && !s.fatal) marks.healed = t;
      return { ok: s.done, verdict: s };
    },
    { timeoutMs: Math.max(1_000, Math.min(withinMs, ctx.remainingMs() - 3_000)), signal: ctx.signal },
  );
  const s: HealingState = r.verdict;
  const word = (ms: number | undefined) => (ms === undefined ? 'not seen' : secs(ms));
  const evidence: Evidence[] = [
    {
      kind: 'table',
      title: `after deleting pod ${victimName} of Deployment ${base} (times from the delete)`,
      columns: ['replacement created', 'replacement Ready', `${victimName} left the endpoints`, `${replicas}/${replicas} Ready and listed`],
      rows: [[word(marks.replacementSeen), word(marks.replacementReady), word(marks.victimLeft), word(marks.healed)]],
    },
  ];
  const assertions = [
    { name: 'a Ready replacement within the deadline', passed: marks.replacementReady !== undefined && !s.fatal },
    { name: `the Deployment keeps ${replicas} Ready pods`, passed: !!s.done && !s.fatal },
    { name: 'the deleted pod leaves the endpoints', passed: marks.victimLeft !== undefined },
  ];
  if (s.fatal) return { status: 'fail', reason: `${s.fatal} (${secs(r.waitedMs)} after the delete)`, evidence, assertions, involved };
  if (!r.held) return { status: 'fail', reason: `pod ${victimName} deleted ${secs(r.waitedMs)} ago: ${s.observed}`, evidence, assertions, involved };
  return {
    status: 'pass',
    reason: `deleted pod ${victimName}: replacement ${s.replacement?.name} Ready after ${word(marks.replacementReady)}, ${victimName} left the endpoints after ${word(marks.victimLeft)}, ${replicas}/${replicas} Ready and listed after ${word(marks.healed)}`,
    evidence,
    assertions,
  };
}
