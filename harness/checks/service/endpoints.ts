// `service` mode endpoints: the EndpointSlices hold exactly the Ready pods the
// selector matches. With the check's own Service it also makes one pod's
// readiness probe fail (touch a file) and pass again (rm it), watching pods and
// slices together and timing when the endpoint leaves and comes back. With an
// existing Service (a grader's) it compares, and explains a selector that
// matches nothing.
import { nodeChangeTolerations } from '../common/node-change-tolerations.ts';
import type { ServiceEndpointsSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { podState, type PodObject } from '../../kube/objects.ts';
import { closestMatch } from '../../suite/did-you-mean.ts';
import { settle } from '../../kube/settle.ts';
import { LABEL_CHECK, LABEL_ROLE, PROBE_PORT, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { multiPortService, netexecDeployment } from '../common/probe-deployment.ts';
import { createTracked, execScript } from '../common/probe-workload.ts';
import { selectorText } from '../common/label-near-miss.ts';
import { secs } from '../common/timing-words.ts';
import { podView } from './endpoint-sets.ts';
import { notReadyWords, serviceSources, serviceState, waitServiceReady, type ServiceState } from './service-ready.ts';

const UNREADY_FILE = '/tmp/kconform-unready';
const DEFAULT_REPLICAS = 3;
const DEFAULT_MAX_LAG_MS = 5_000;
const DEFAULT_SETTLE_MS = 30_000;

type ServiceObject = KubeObject & { spec?: { selector?: Record<string, string>; clusterIP?: string } };

export async function runEndpoints(spec: ServiceEndpointsSpec, ctx: CheckContext): Promise<CheckOutcome> {
  return spec.service ? judgeExisting(spec, spec.service, ctx) : ownService(spec, ctx);
}

async function ownService(spec: ServiceEndpointsSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const replicas = spec.replicas ?? DEFAULT_REPLICAS;
  const periodS = Math.max(1, Math.round(parseDuration(spec.probePeriod ?? '1s') / 1000));
  const boundMs = periodS * 1000 + (spec.maxLag ? parseDuration(spec.maxLag) : DEFAULT_MAX_LAG_MS);
  const base = probeBaseName(spec.name ?? 'service-endpoints', ctx.attempt);
  const ns = ctx.namespace;
  const labels = probeLabels(base, 'backend');
  const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
  const involved: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ns },
    { apiVersion: 'v1', kind: 'Service', name: base, namespace: ns },
  ];

  ctx.log(`creating Service ${base} and Deployment ${base} (${replicas} pods, readiness probe every ${periodS}s)`);
  await createTracked(ctx, multiPortService({ name: base, namespace: ns, labels: probeLabels(base, 'service'), selector, ports: [{ name: 'http', port: 80, targetPort: PROBE_PORT }] }));
  await createTracked(ctx, netexecDeployment({ name: base, namespace: ns, image: ctx.images.agnhost, replicas, labels, unreadyFile: UNREADY_FILE, probePeriodSeconds: periodS, spread: true, podSpec: { tolerations: nodeChangeTolerations(ctx.runId) } }));

  const o = { service: base, namespace: ns, selector };
  const src = serviceSources(o);
  ctx.log(`waiting for ${replicas} Ready pods and their endpoints`);
  const start = await waitServiceReady(ctx, { ...o, deployment: base, replicas, timeoutMs: Math.min(90_000, ctx.remainingMs() - 25_000) });
  if (!start.held) return { status: 'fail', reason: start.reason!, involved, assertions: [{ name: 'EndpointSlices hold exactly the Ready pods', passed: false }] };
  const initial = start.state.cmp;
  const evidence: Evidence[] = [{ kind: 'table', title: `endpoints of Service ${base}`, columns: ['pod', 'Ready', 'listed ready'], rows: initial.matching.map((p) => [p.name, p.ready ? 'yes' : 'no', initial.listedReady.includes(p.name) ? 'yes' : 'no']) }];

  if (spec.readinessFlip === false) {
    return { status: 'pass', reason: `${replicas} Ready pods, exactly the ${replicas} ready endpoints of Service ${base}`, evidence };
  }

  // The flip: one pod's probe starts failing, then passes again. Pods and
  // slices are watched together; times count from the moment the file changed.
  const victim = initial.expected[0]!;
  const others = initial.expected.filter((n) => n !== victim);
  const timeline: { t: number; values: Record<string, number> }[] = [];
  const flipStart = Date.now();
  const flip = async (phase: 'leave' | 'return') => {
    const marks: { pod?: number; endpoint?: number } = {};
    const script = phase === 'leave' ? `touch ${UNREADY_FILE}` : `rm -f ${UNREADY_FILE}`;
    const res = await execScript(ctx, victim, script, 15_000);
    if (res.exitCode !== 0) throw new Error(`could not ${phase === 'leave' ? 'create' : 'remove'} ${UNREADY_FILE} in pod ${victim}: ${res.stderr.trim() || `exit ${res.exitCode}`}`);
    const changed = Date.now();
    const wantReady = phase === 'return';
    const r = await settle(
      ctx.kube,
      src,
      (sets) => {
        const s = serviceState(sets, o);
        const now = Date.now();
        const pod = s.pods.find((p) => p.metadata.name === victim);
        const podReady = pod ? podView(pod).ready : false;
        const listed = s.cmp.listedReady.includes(victim);
        if (marks.pod === undefined && podReady === wantReady) marks.pod = now - changed;
        if (marks.endpoint === undefined && listed === wantReady) marks.endpoint = now - changed;
        timeline.push({ t: now - flipStart, values: { 'pods Ready': s.cmp.expected.length, 'endpoints ready': s.cmp.listedReady.length } });
        const othersStay = others.every((n) => s.cmp.listedReady.includes(n));
        return { ok: podReady === wantReady && listed === wantReady && othersStay && s.cmp.ok, verdict: s };
      },
      { timeoutMs: Math.min(boundMs * 2 + 5_000, Math.max(1_000, ctx.remainingMs() - 5_000)), signal: ctx.signal },
    );
    return { ...r, marks };
  };

  ctx.log(`making pod ${victim} not Ready (readiness probe fails while ${UNREADY_FILE} exists)`);
  const leave = await flip('leave');
  const leaveProblem = flipProblem('leave', victim, leave, others, boundMs);
  let back: Awaited<ReturnType<typeof flip>> | undefined;
  let backProblem: string | undefined;
  if (!leaveProblem || leave.marks.endpoint !== undefined) {
    ctx.log(`making pod ${victim} Ready again`);
    back = await flip('return');
    backProblem = flipProblem('return', victim, back, others, boundMs);
  }
  evidence.push(
    {
      kind: 'table',
      title: `readiness flip of pod ${victim} (bound: probe period ${periodS}s + maxLag ${secs(boundMs - periodS * 1000)} = ${secs(boundMs)})`,
      columns: ['step', 'pod Ready changed after', 'endpoint changed after'],
      rows: [
        ['probe fails (file created)', word(leave.marks.pod), word(leave.marks.endpoint)],
        ['probe passes (file removed)', word(back?.marks.pod), word(back?.marks.endpoint)],
      ],
    },
    { kind: 'timeline', title: `pods Ready and ready endpoints of Service ${base} during the flip (ms)`, series: ['pods Ready', 'endpoints ready'], points: timeline },
  );
  const assertions = [
    { name: 'EndpointSlices hold exactly the Ready pods', passed: true },
    { name: 'a pod whose readiness probe fails leaves the endpoints within its probe period', passed: !leaveProblem },
    { name: 'the pod comes back when its probe passes again', passed: !!back && !backProblem },
  ];
  const problem = leaveProblem ?? backProblem ?? (back ? undefined : `pod ${victim} was not made Ready again`);
  if (problem) {
    involved.push({ apiVersion: 'v1', kind: 'Pod', name: victim, namespace: ns });
    return { status: 'fail', reason: problem, evidence, assertions, involved };
  }
  return {
    status: 'pass',
    reason: `${replicas} Ready pods = ${replicas} ready endpoints; ${victim} left the endpoints ${secs(leave.marks.endpoint!)} after its readiness probe began failing and came back ${secs(back!.marks.endpoint!)} after it passed (bound ${secs(boundMs)})`,
    evidence,
    assertions,
  };
}

function word(ms: number | undefined): string {
  return ms === undefined ? 'not seen' : secs(ms);
}

function flipProblem(phase: 'leave' | 'return', victim: string, r: { held: boolean; waitedMs: number; verdict: ServiceState; marks: { pod?: number; endpoint?: number } }, others: string[], boundMs: number): string | undefined {
  const s = r.verdict;
  const gone = others.filter((n) => !s.cmp.listedReady.includes(n));
  if (gone.length > 0) {
    return `pod ${gone.join(', ')} left the endpoints while only ${victim}'s probe was made to fail: ${notReadyWords(s.pods, gone) || 'still Ready'}`;
  }
  const what = phase === 'leave' ? 'began failing' : 'passed again';
  const endpointWord = phase === 'leave' ? 'still listed ready in the EndpointSlices' : 'not listed ready in the EndpointSlices';
  if (r.marks.pod === undefined) {
    const pod = s.pods.find((p) => p.metadata.name === victim);
    return `pod ${victim} did not turn ${phase === 'leave' ? 'not Ready' : 'Ready'} within ${secs(r.waitedMs)} after its readiness probe ${what} (${pod ? podState(pod) : 'the pod is gone'})`;
  }
  if (r.marks.endpoint === undefined) {
    return `pod ${victim} turned ${phase === 'leave' ? 'not Ready' : 'Ready'} after ${secs(r.marks.pod)} but is ${endpointWord} after ${secs(r.waitedMs)}`;
  }
  if (r.marks.endpoint > boundMs) {
    return `pod ${victim}'s endpoint ${phase === 'leave' ? 'left' : 'came back'} ${secs(r.marks.endpoint)} after its readiness probe ${what}, later than ${secs(boundMs)} (probe period + maxLag)`;
  }
  if (!r.held) return `after pod ${victim}'s readiness probe ${what}: ${s.cmp.problems.join('; ') || 'the endpoints did not settle'}`;
  return undefined;
}

/** A grader's Service: compare, wait up to `settle` for agreement, explain a selector that matches nothing. */
async function judgeExisting(spec: ServiceEndpointsSpec, name: string, ctx: CheckContext): Promise<CheckOutcome> {
  const ns = spec.namespace ?? ctx.namespace;
  const ref = { apiVersion: 'v1', kind: 'Service', name, namespace: ns };
  const svc = await ctx.kube.get<ServiceObject>(ref, { signal: ctx.signal });
  if (!svc) {
    const names = (await ctx.kube.list('v1', 'Service', { namespace: ns, signal: ctx.signal })).map((s) => s.metadata.name ?? '');
    const close = closestMatch(name, names);
    return { status: 'fail', reason: `Service ${name} not found in namespace ${ns}${close ? `; did you mean ${close}?` : names.length ? ` (Services there: ${names.join(', ')})` : ''}` };
  }
  const selector = svc.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) {
    return { status: 'fail', reason: `Service ${name} (ns ${ns}) has no selector: its endpoints are managed by hand, so there are no pods to compare them with`, involved: [ref] };
  }
  const o = { service: name, namespace: ns, selector };
  const settleMs = Math.min(spec.settle ? parseDuration(spec.settle) : DEFAULT_SETTLE_MS, Math.max(1_000, ctx.remainingMs() - 5_000));
  ctx.log(`comparing the EndpointSlices of Service ${name} with the pods matching ${selectorText(selector)}`);
  const r = await settle(
    ctx.kube,
    serviceSources(o, true),
    (sets) => {
      const s = serviceState(sets, o);
      const enough = spec.minReady === undefined || s.cmp.expected.length >= spec.minReady;
      // No pod matches: nothing will change that by waiting.
      return { ok: (s.cmp.ok && enough) || !!s.cmp.noMatch, verdict: s };
    },
    { timeoutMs: settleMs, signal: ctx.signal },
  );
  const { cmp, pods } = r.verdict;
  const evidence: Evidence[] = [
    { kind: 'table', title: `pods matching ${selectorText(selector)} in ${ns}`, columns: ['pod', 'Ready', 'listed ready'], rows: cmp.matching.map((p) => [p.name, p.ready ? 'yes' : 'no', cmp.listedReady.includes(p.name) ? 'yes' : 'no']) },
  ];
  const involved: ObjectRef[] = [ref, ...cmp.matching.map((p) => ({ apiVersion: 'v1', kind: 'Pod', name: p.name, namespace: ns }))];
  if (cmp.noMatch) return { status: 'fail', reason: cmp.noMatch, evidence, involved, assertions: [{ name: 'the selector matches pods', passed: false }] };
  const enough = spec.minReady === undefined || cmp.expected.length >= spec.minReady;
  const assertions = [
    { name: 'the selector matches pods', passed: true },
    { name: 'EndpointSlices hold exactly the Ready pods', passed: cmp.ok },
    ...(spec.minReady !== undefined ? [{ name: `at least ${spec.minReady} Ready endpoints`, passed: enough }] : []),
  ];
  if (!cmp.ok) return { status: 'fail', reason: `Service ${name}: ${cmp.problems[0]}${cmp.problems.length > 1 ? ` (+${cmp.problems.length - 1} more)` : ''}`, evidence, involved, assertions };
  if (!enough) {
    const why = await notReadyWithProbe(ctx, ns, pods.filter((p) => cmp.matching.some((m) => m.name === p.metadata.name) && !podView(p).ready));
    return {
      status: 'fail',
      reason: `Service ${name}: ${cmp.expected.length}/${cmp.matching.length} pods matching ${selectorText(selector)} are Ready (expected at least ${spec.minReady})${why ? `: ${why}` : ''}; the endpoints rightly list only the Ready ones`,
      evidence,
      involved,
      assertions,
    };
  }
  return { status: 'pass', reason: `Service ${name}: its EndpointSlices hold exactly the ${cmp.expected.length} Ready pods matching ${selectorText(selector)}`, evidence, assertions };
}

/** "web-2 not Ready (Readiness probe failed: ...)", from each pod's latest Unhealthy event. */
async function notReadyWithProbe(ctx: CheckContext, ns: string, pods: PodObject[]): Promise<string> {
  const parts: string[] = [];
  for (const p of pods.slice(0, 3)) {
    const name = p.metadata.name ?? '';
    const events = await ctx.kube.events(ns, { kind: 'Pod', name }).catch(() => []);
    const probe = [...events].reverse().find((e) => e.reason === 'Unhealthy' && /readiness/i.test(e.message));
    parts.push(`${name} not Ready (${probe ? probe.message.replace(/\s+/g, ' ').trim() : podState(p)})`);
  }
  return parts.join('; ');
}
