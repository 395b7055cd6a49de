// Eviction mode "api": a Deployment under a PodDisruptionBudget. Evictions the
// budget allows succeed; the next one is refused with 429 naming the budget and
// the pod stays; once the replacements are Ready the budget allows it again.
import type { EvictionSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Assertion, Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { createTracked } from '../common/probe-workload.ts';
import { selectorOf } from '../common/probe-manifests.ts';
import { isActive, type PodLite } from '../rollout/invariants.ts';
import { waitRollout } from '../rollout/deployment-ops.ts';
import { budgetWords, neverAllows, pdbNameOf, policyText } from './drain.ts';
import { pdbWords, readPdb, waitPdb } from './pdb-ops.ts';
import { budget, evictionNames, serverDeployment } from './workload.ts';

type Pod = KubeObject & PodLite;

export async function runApiMode(spec: EvictionSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const n = evictionNames(spec.name ?? spec.kind, ctx.attempt);
  const replicas = spec.replicas ?? 3;
  const policy = spec.pdb ?? { maxUnavailable: 1 };
  const readyMs = Math.min(parseDuration(spec.readyTimeout ?? '60s'), ctx.remainingMs());
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: n.deployment, namespace: ctx.namespace },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: n.pdb, namespace: ctx.namespace },
  ];

  ctx.log(`creating Deployment ${n.deployment} (${replicas} replicas) and PDB ${n.pdb} (${policyText({ metadata: {}, spec: policy })})`);
  await createTracked(ctx, budget(n, { namespace: ctx.namespace, policy }));
  await createTracked(ctx, serverDeployment(n, { namespace: ctx.namespace, image: ctx.images.agnhost, replicas }));
  const up = await waitRollout(ctx, n.deployment, 'complete', readyMs);
  if (!up.reached) return { status: 'fail', reason: `Deployment ${n.deployment} not available after ${Math.round(up.tookMs / 1000)}s: ${up.state}`, involved };
  const settled = await waitPdb(ctx, n.pdb, (p) => p.status?.expectedPods === replicas && p.status?.currentHealthy === replicas, `to count ${replicas} healthy pods`, readyMs);
  if (!settled.held || !settled.pdb) return { status: 'fail', reason: `PDB ${n.pdb} never counted the ${replicas} healthy pods: ${pdbWords(settled.pdb)}`, involved };
  const allowed = settled.pdb.status?.disruptionsAllowed ?? 0;

  const pods = (await ctx.kube.list<Pod>('v1', 'Pod', { namespace: ctx.namespace, labelSelector: selectorOf(n.serverSelector), signal: ctx.signal }))
    .filter(isActive)
    .map((p) => p.metadata.name ?? '')
    .sort();
  if (allowed >= pods.length) {
    return { status: 'fail', reason: `PDB ${n.pdb} (${policyText(settled.pdb)}) allows evicting all ${pods.length} pods at once: no eviction can be refused; use a stricter budget`, involved };
  }

  const rows: (string | number)[][] = [];
  const problems: string[] = [];
  const evict = async (pod: string, expect: string) => {
    const before = (await readPdb(ctx, n.pdb))?.status?.disruptionsAllowed ?? 0;
    const r = await ctx.kube.evict(ctx.namespace, pod, { signal: ctx.signal });
    rows.push([pod, before, expect, r.status, r.message]);
    return r;
  };

  ctx.log(`evicting ${allowed} pod(s) the budget allows`);
  for (const pod of pods.slice(0, allowed)) {
    const r = await evict(pod, 'evicted');
    if (r.status !== 200 && r.status !== 201) problems.push(`eviction of ${pod} was refused although PDB ${n.pdb} allowed ${allowed}: HTTP ${r.status} ${r.message}`);
  }
  const victim = pods[allowed]!;
  ctx.log(`evicting ${victim}, which would break the budget`);
  const refused = await evict(victim, '429');
  let stayed = false;
  if (refused.status === 429) {
    const named = pdbNameOf(refused.message);
    if (named !== n.pdb) problems.push(`eviction of ${victim} was refused (429) but not in the name of PDB ${n.pdb}: ${refused.message}`);
    const live = await ctx.kube.get<Pod>({ apiVersion: 'v1', kind: 'Pod', name: victim, namespace: ctx.namespace });
    stayed = !!live && !live.metadata.deletionTimestamp;
    if (!stayed) problems.push(`pod ${victim} was refused eviction (429) but ${live ? 'is terminating' : 'is gone'}`);
  } else {
    problems.push(`eviction of ${victim} answered HTTP ${refused.status} (${refused.message}), expected 429: it would leave fewer healthy pods than PDB ${n.pdb} allows (${policyText(settled.pdb)})`);
  }

  // The budget allows it again once replacements are Ready; never, with maxUnavailable 0.
  let afterRecovery: string;
  if (refused.status === 429 && !neverAllows(settled.pdb)) {
    ctx.log('waiting for the replacements, then evicting it again');
    const back = await waitPdb(ctx, n.pdb, (p) => (p.status?.disruptionsAllowed ?? 0) >= 1, 'to allow a disruption again', readyMs);
    if (!back.held) {
      problems.push(`PDB ${n.pdb} did not allow a disruption again after ${Math.round(readyMs / 1000)}s: ${pdbWords(back.pdb)}`);
      afterRecovery = 'not retried';
    } else {
      const again = await evict(victim, 'evicted');
      if (again.status !== 200 && again.status !== 201) problems.push(`eviction of ${victim} was refused again after the replacements were Ready: HTTP ${again.status} ${again.message}`);
      afterRecovery = `evicted once the budget allowed it (${again.status})`;
    }
  } else {
    afterRecovery = 'the budget never allows it while every pod is healthy';
  }

  const evidence: Evidence[] = [
    { kind: 'table', title: `evictions (PDB ${n.pdb}: ${policyText(settled.pdb)})`, columns: ['pod', 'disruptions allowed before', 'expected', 'HTTP', 'answer'], rows },
    { kind: 'object', title: `PDB ${n.pdb} status`, object: (await readPdb(ctx, n.pdb))?.['status'] ?? null },
  ];
  const assertions: Assertion[] = [
    { name: 'evictions within the budget succeed', passed: !problems.some((p) => /refused although|refused again|did not allow/.test(p)) },
    { name: 'an eviction that would break the budget gets 429 naming it', passed: refused.status === 429 && pdbNameOf(refused.message) === n.pdb },
    { name: 'the refused pod stays', passed: stayed },
  ];
  if (problems.length === 0) {
    return {
      status: 'pass',
      reason: `PDB ${n.pdb} (${policyText(settled.pdb)}): ${allowed} eviction(s) allowed, ${victim} refused with 429 (${budgetWords(refused.message)}) and stayed; ${afterRecovery}`,
      evidence,
      assertions,
    };
  }
  return { status: 'fail', reason: `${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence, assertions, involved };
}
