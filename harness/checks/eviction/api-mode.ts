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
import { pdbWords, readPdb, waitPdb, type PdbObject } from './pdb-ops.ts';
import { budget, evictionNames, serverDeployment, type EvictionNames } from './workload.ts';
import { movedPods, type ReadyPod } from './pod-readiness.ts';

type Pod = KubeObject & PodLite & ReadyPod;

const COLUMNS = ['pod', 'disruptions allowed before', 'expected', 'HTTP', 'answer'];

/** One pass of the evictions over pods that were all Ready when it started. */
interface Pass {
  rows: (string | number)[][];
  problems: string[];
  victim: string;
  allowed: number;
  refused: { status: number; message: string };
  stayed: boolean;
  afterRecovery: string;
  /** A pod the pass did not evict went unready during it: the budget moved under the check, and says nothing of the Eviction API. */
  moved?: string;
}

export async function runApiMode(spec: EvictionSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const n = evictionNames(spec.name ?? spec.kind, ctx.attempt);
  const replicas = spec.replicas ?? 3;
  const policy = spec.pdb ?? { maxUnavailable: 1 };
  const readyMs = () => Math.min(parseDuration(spec.readyTimeout ?? '60s'), ctx.remainingMs());
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: n.deployment, namespace: ctx.namespace },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: n.pdb, namespace: ctx.namespace },
  ];

  ctx.log(`creating Deployment ${n.deployment} (${replicas} replicas) and PDB ${n.pdb} (${policyText({ metadata: {}, spec: policy })})`);
  await createTracked(ctx, budget(n, { namespace: ctx.namespace, policy }));
  await createTracked(ctx, serverDeployment(n, { namespace: ctx.namespace, image: ctx.images.agnhost, replicas }));

  const evidence: Evidence[] = [];
  const setAside: string[] = [];
  let pass: Pass | undefined;
  let pdb: PdbObject | undefined;
  // A readiness blip of a pod on a loaded node changes what the budget allows
  // between two requests; such a pass proves nothing either way, so it is set
  // aside and run once more (never more: a budget that keeps moving fails).
  for (let round = 1; round <= 2; round++) {
    const up = await waitRollout(ctx, n.deployment, 'complete', readyMs());
    if (!up.reached) return { status: 'fail', reason: `Deployment ${n.deployment} not available after ${Math.round(up.tookMs / 1000)}s: ${up.state}`, evidence, involved };
    const settled = await waitPdb(ctx, n.pdb, (p) => p.status?.expectedPods === replicas && p.status?.currentHealthy === replicas, `to count ${replicas} healthy pods`, readyMs());
    if (!settled.held || !settled.pdb) return { status: 'fail', reason: `PDB ${n.pdb} never counted the ${replicas} healthy pods: ${await unsettledWords(ctx, n, settled.pdb)}`, evidence, involved };
    pdb = settled.pdb;
    const allowed = pdb.status?.disruptionsAllowed ?? 0;
    const pods = (await serverPods(ctx, n)).filter(isActive).map((p) => p.metadata.name ?? '').sort();
    if (allowed >= pods.length) {
      return { status: 'fail', reason: `PDB ${n.pdb} (${policyText(pdb)}) allows evicting all ${pods.length} pods at once: no eviction can be refused; use a stricter budget`, involved };
    }
    pass = await evictionPass(ctx, n, pdb, pods, readyMs);
    evidence.push({ kind: 'table', title: `evictions${round > 1 ? `, pass ${round}` : ''} (PDB ${n.pdb}: ${policyText(pdb)})`, columns: COLUMNS, rows: pass.rows });
    if (pass.problems.length === 0 || !pass.moved || round === 2) break;
    setAside.push(`${pass.moved} (${pass.problems[0]})`);
    ctx.log(`set aside: ${pass.moved}; evicting again once all ${replicas} pods are Ready`);
  }
  const p = pass!;
  evidence.push({ kind: 'object', title: `PDB ${n.pdb} status`, object: (await readPdb(ctx, n.pdb))?.['status'] ?? null });
  if (setAside.length > 0) evidence.push({ kind: 'text', title: 'passes set aside', text: setAside.join('\n') });
  const assertions: Assertion[] = [
    { name: 'evictions within the budget succeed', passed: !p.problems.some((x) => /refused although|refused again|did not allow/.test(x)) },
    { name: 'an eviction that would break the budget gets 429 naming it', passed: p.refused.status === 429 && pdbNameOf(p.refused.message) === n.pdb },
    { name: 'the refused pod stays', passed: p.stayed },
  ];
  const aside = setAside.length > 0 ? `; a first pass was set aside: ${setAside[0]}` : '';
  if (p.problems.length === 0) {
    return {
      status: 'pass',
      reason: `PDB ${n.pdb} (${policyText(pdb)}): ${p.allowed} eviction(s) allowed, ${p.victim} refused with 429 (${budgetWords(p.refused.message)}) and stayed; ${p.afterRecovery}${aside}`,
      evidence,
      assertions,
    };
  }
  const moved = p.moved ? ` (${p.moved})` : '';
  return { status: 'fail', reason: `${p.problems[0]}${p.problems.length > 1 ? ` (+${p.problems.length - 1} more)` : ''}${moved}${aside}`, evidence, assertions, involved };
}

async function serverPods(ctx: CheckContext, n: EvictionNames): Promise<Pod[]> {
  return ctx.kube.list<Pod>('v1', 'Pod', { namespace: ctx.namespace, labelSelector: selectorOf(n.serverSelector), signal: ctx.signal });
}

/**
 * Why a budget never settled. No status at all is the disruption controller's
 * silence, not the pods': a dry-run eviction shows what every drain would meet.
 */
async function unsettledWords(ctx: CheckContext, n: EvictionNames, p: PdbObject | undefined): Promise<string> {
  if (p?.status && p.status.observedGeneration !== undefined) return pdbWords(p);
  const pod = (await serverPods(ctx, n)).filter(isActive)[0]?.metadata.name;
  const tried = pod ? await ctx.kube.evict(ctx.namespace, pod, { dryRun: true, signal: ctx.signal }) : undefined;
  const answer = tried ? `; a dry-run eviction of ${pod} answered HTTP ${tried.status}: ${tried.message}` : '';
  return `no status: the disruption controller (kube-controller-manager) never computed it${answer}; is kube-controller-manager running its disruption controller, and may it update poddisruptionbudgets/status?`;
}

async function evictionPass(ctx: CheckContext, n: EvictionNames, settled: PdbObject, pods: string[], readyMs: () => number): Promise<Pass> {
  const started = Date.now();
  const allowed = settled.status?.disruptionsAllowed ?? 0;
  const rows: (string | number)[][] = [];
  const problems: string[] = [];
  /** Pods that went as the pass meant them to: the rest should have stayed Ready throughout. */
  const meantToGo: string[] = [];
  let moved: string | undefined;
  const evict = async (pod: string, expect: string) => {
    const before = (await readPdb(ctx, n.pdb))?.status?.disruptionsAllowed ?? 0;
    const r = await ctx.kube.evict(ctx.namespace, pod, { signal: ctx.signal });
    rows.push([pod, before, expect, r.status, r.message]);
    if (expect === 'evicted' && (r.status === 200 || r.status === 201)) meantToGo.push(pod);
    return r;
  };
  // After an answer that was not the expected one: did a pod that should have stayed Ready blink?
  const explain = async () => {
    moved ??= movedPods(await serverPods(ctx, n), pods.filter((p) => !meantToGo.includes(p)), started, pdbWords(await readPdb(ctx, n.pdb)));
  };

  ctx.log(`evicting ${allowed} pod(s) the budget allows`);
  for (const pod of pods.slice(0, allowed)) {
    const r = await evict(pod, 'evicted');
    if (r.status !== 200 && r.status !== 201) {
      problems.push(`eviction of ${pod} was refused although PDB ${n.pdb} allowed ${allowed}: HTTP ${r.status} ${r.message}`);
      await explain();
    }
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
    problems.push(`eviction of ${victim} answered HTTP ${refused.status} (${refused.message}), expected 429: it would leave fewer healthy pods than PDB ${n.pdb} allows (${policyText(settled)})`);
    await explain();
  }

  // The budget allows it again once replacements are Ready; never, with maxUnavailable 0.
  let afterRecovery: string;
  if (refused.status === 429 && !neverAllows(settled)) {
    ctx.log('waiting for the replacements, then evicting it again');
    const ms = readyMs();
    const back = await waitPdb(ctx, n.pdb, (p) => (p.status?.disruptionsAllowed ?? 0) >= 1, 'to allow a disruption again', ms);
    if (!back.held) {
      problems.push(`PDB ${n.pdb} did not allow a disruption again after ${Math.round(ms / 1000)}s: ${pdbWords(back.pdb)}`);
      afterRecovery = 'not retried';
    } else {
      const again = await evict(victim, 'evicted');
      if (again.status !== 200 && again.status !== 201) {
        problems.push(`eviction of ${victim} was refused again after the replacements were Ready: HTTP ${again.status} ${again.message}`);
        await explain();
      }
      afterRecovery = `evicted once the budget allowed it (${again.status})`;
    }
  } else {
    afterRecovery = 'the budget never allows it while every pod is healthy';
  }
  return { rows, problems, victim, allowed, refused, stayed, afterRecovery, ...(moved ? { moved } : {}) };
}
