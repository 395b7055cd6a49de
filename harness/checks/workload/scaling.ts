// `workload` mode scaling: a Deployment scaled through the steps (3 -> 5 -> 2
// by default); after each change the pods, the ReplicaSet and the Service's
// endpoints are watched until all show exactly that many Ready, and timed.
import type { WorkloadScalingSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { probeBaseName } from '../common/probe-manifests.ts';
import { settle } from '../../kube/settle.ts';
import { secs } from '../common/timing-words.ts';
import { judgeStep, type StepState } from './evaluate.ts';
import { createDeployment, deploymentSources, observed } from './deployment-watch.ts';

export const DEFAULT_STEPS = [3, 5, 2];

export async function runScaling(spec: WorkloadScalingSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const steps = spec.steps ?? DEFAULT_STEPS;
  const stepMs = spec.stepTimeout ? parseDuration(spec.stepTimeout) : 60_000;
  const base = probeBaseName(spec.name ?? 'workload-scaling', ctx.attempt);
  ctx.log(`creating Deployment ${base} (${steps[0]} replicas) and Service ${base}`);
  const scope = await createDeployment(ctx, base, steps[0]!);
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ctx.namespace },
    { apiVersion: 'v1', kind: 'Service', name: base, namespace: ctx.namespace },
  ];
  const sources = deploymentSources(scope);
  const timeline: { t: number; values: Record<string, number> }[] = [];
  const rows: (string | number)[][] = [];
  const assertions: { name: string; passed: boolean }[] = [];
  const t0 = Date.now();

  for (let i = 0; i < steps.length; i++) {
    const to = steps[i]!;
    const from = i === 0 ? 0 : steps[i - 1]!;
    const label = i === 0 ? `start at ${to}` : `${from} -> ${to}`;
    if (i > 0) {
      ctx.log(`scaling Deployment ${base} ${label}`);
      await ctx.kube.patch({ apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ctx.namespace }, { spec: { replicas: to } }, 'merge', { signal: ctx.signal });
    } else ctx.log(`waiting for ${to} Ready pods and endpoints`);
    const stepStart = Date.now();
    const r = await settle(
      ctx.kube,
      sources,
      (sets) => {
        const s = judgeStep(observed(sets), scope, to);
        timeline.push({ t: Date.now() - t0, values: { target: to, 'pods Ready': s.ready, 'pods not terminating': s.live, 'endpoints ready': s.listed } });
        return { ok: s.done, verdict: s };
      },
      { timeoutMs: Math.max(1_000, Math.min(i === 0 ? Math.max(stepMs, 60_000) : stepMs, ctx.remainingMs() - 3_000)), signal: ctx.signal },
    );
    const s: StepState = r.verdict;
    const took = Date.now() - stepStart;
    const ok = r.held && !s.fatal;
    rows.push([label, ok ? secs(took) : `not reached in ${secs(took)}`, s.ready, s.listed, ok ? '' : s.observed]);
    assertions.push({ name: i === 0 ? `${to} Ready pods and endpoints at the start` : `scaling ${label}: pods and endpoints follow`, passed: ok });
    if (!ok) {
      for (let j = i + 1; j < steps.length; j++) assertions.push({ name: `scaling ${steps[j - 1]} -> ${steps[j]}: pods and endpoints follow`, passed: false });
      return {
        status: 'fail',
        reason: s.fatal ? `step ${label}: ${s.fatal}` : `step ${label}: not reached after ${secs(took)}: ${s.observed}`,
        evidence: evidenceOf(base, rows, timeline),
        assertions,
        involved,
      };
    }
  }
  const words = rows.slice(1).map((r) => `${r[0]} in ${r[1]}`).join(', ');
  return { status: 'pass', reason: `Deployment ${base} scaled ${steps.join(' -> ')}: pods and endpoints followed each step (${words})`, evidence: evidenceOf(base, rows, timeline), assertions };
}

function evidenceOf(base: string, rows: (string | number)[][], timeline: { t: number; values: Record<string, number> }[]): Evidence[] {
  return [
    { kind: 'table', title: `scaling steps of Deployment ${base}`, columns: ['step', 'converged after', 'pods Ready', 'endpoints ready', 'last seen'], rows },
    { kind: 'timeline', title: `Deployment ${base}: pods and endpoints (ms from the start)`, series: ['target', 'pods Ready', 'pods not terminating', 'endpoints ready'], points: timeline },
  ];
}
