// The `http` check: GET requests from inside the cluster (curl in an agnhost
// client pod) to a Service's ClusterIP, a pod IP or a URL. Rounds repeat until
// the answers are right or `wait` runs out; the verdict is the last round's.
// When a Service target fails, its selector and endpoints are read to say why.
import type { HttpSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import { pause, realClock } from '../../kube/clock.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../types.ts';
import { curlScript, httpUrl, parseCurlOutput, type CurlJob, type CurlOutput } from '../common/probe-curl.ts';
import { LABEL_CHECK, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { startProbeClient, waitWithClient } from '../common/shared-client.ts';
import { readyEndpoints, type EndpointSliceObject } from '../common/probe-slices.ts';
import type { NodeObject, PodObject } from '../../kube/objects.ts';
import { hasNoncePlaceholder, withNonce } from '../exec/output-expect.ts';
import { nodeTaints, waitTargetPods } from '../exec/pods.ts';
import { diagnoseService, evaluateHttp, podPort, servicePort, type HttpVerdict, type ServiceLike, type SliceWithPorts } from './evaluate.ts';
import { VERDICT_MARGIN_MS, waitBudgetMs } from '../common/wait-budget.ts';
import { staticServiceCause } from '../common/static-service.ts';

const DEFAULT_REQUEST_S = 3;
const SPREAD_REQUESTS = 30;
const ROUND_PAUSE_MS = 2_000;

interface Client {
  namespace: string;
  pod: string;
}

interface Target {
  /** What is requested, in words: `Service web (ns lab1) port 80 (10.96.3.4)`. */
  label: string;
  url: string;
  identifyUrl?: string;
  service?: { object: ServiceLike & KubeObject; namespace: string; port: number };
}

export const httpCheck: CheckDefinition<HttpSpec> = {
  kind: 'http',
  proves: 'HTTP requests made from inside the cluster get the expected answers (status, body, the run nonce echoed), and with spread every endpoint of the Service answers',
  needs: () => ({}),
  usesSharedClient: (spec) => !spec.from,
  async run(spec, ctx) {
    const started = Date.now();
    const waitMs = waitBudgetMs(spec.wait, ctx);
    const involved: ObjectRef[] = [];

    const client = await clientOf(spec, ctx, waitMs, involved);
    if ('problem' in client) return { status: 'fail', reason: client.problem, involved };
    const target = await targetOf(spec, ctx, Math.max(0, waitMs - (Date.now() - started)), involved);
    if ('problem' in target) return { status: 'fail', reason: target.problem, involved };

    const requests = spec.requests ?? (spec.spread ? SPREAD_REQUESTS : 1);
    const echo = spec.expect?.echo ?? hasNoncePlaceholder(spec.url ?? spec.path ?? '');
    const maxTimeSec = spec.requestTimeout ? parseDuration(spec.requestTimeout) / 1000 : DEFAULT_REQUEST_S;
    let verdict: HttpVerdict;
    let endpoints: string[] = [];
    let rounds = 0;
    let staticCause: string | undefined;
    for (;;) {
      rounds++;
      if (target.service && spec.spread) endpoints = await readyEndpointNames(ctx, target.service);
      ctx.log(`round ${rounds}: ${requests} request(s) to ${target.label}`);
      const out = await runRequests(ctx, client, target, requests, maxTimeSec);
      verdict = evaluateHttp({
        out,
        requests,
        expect: spec.expect,
        echo,
        nonce: ctx.nonce,
        ...(spec.spread ? { spread: { endpoints, minEndpoints: spec.spread.minEndpoints ?? 1 } } : {}),
      });
      const left = waitMs - (Date.now() - started);
      if (verdict.ok || left < ROUND_PAUSE_MS + 2_000 || ctx.signal.aborted) break;
      // A Service cause no wait clears ends the retries at once; other waits say why they wait.
      if (target.service) {
        const d = await diagnoseWithPods(ctx, target.service, []);
        if (d.why && (await staticServiceCause(ctx, target.service.namespace, target.service.object.spec?.selector ?? {}, d.pods))) {
          staticCause = d.why;
          break;
        }
      }
      ctx.log(`round ${rounds} failed (${verdict.line}); retrying for up to ${Math.round(left / 1000)}s more`);
      await pause(realClock, ROUND_PAUSE_MS, ctx.signal);
    }

    const evidence: Evidence[] = [
      { kind: 'counts', title: `answers of ${target.label} (round ${rounds})`, counts: verdict.outcomes },
      ...(spec.spread ? [{ kind: 'counts' as const, title: 'answers per endpoint', counts: verdict.answers }] : []),
      ...(verdict.sample !== undefined ? [{ kind: 'text' as const, title: 'first answer body', text: verdict.sample.slice(0, 2_000) }] : []),
    ];
    if (verdict.ok) return { status: 'pass', reason: `${target.label}: ${verdict.line}`, evidence, assertions: verdict.assertions };
    const why = target.service ? await diagnose(ctx, target.service, involved) : undefined;
    const early = staticCause ? ` (after ${rounds} round${rounds === 1 ? '' : 's'}: a cause that cannot change by waiting)` : '';
    return outcome(`${why ? `${why}; ` : ''}${target.label}: ${verdict.line}${early}`, verdict, evidence, involved);
  },
};

function outcome(reason: string, v: HttpVerdict, evidence: Evidence[], involved: ObjectRef[]): CheckOutcome {
  return { status: 'fail', reason, evidence, assertions: v.assertions, involved };
}

async function clientOf(spec: HttpSpec, ctx: CheckContext, waitMs: number, involved: ObjectRef[]): Promise<Client | { problem: string }> {
  if (spec.from) {
    const namespace = spec.from.namespace ?? ctx.namespace;
    involved.push({ apiVersion: 'v1', kind: 'Pod', name: spec.from.pod, namespace });
    const found = await waitTargetPods(ctx, { namespace, name: spec.from.pod }, waitMs);
    if (found.problem) return { problem: `client ${found.problem}` };
    return { namespace, pod: spec.from.pod };
  }
  const base = probeBaseName(spec.name ?? 'http', ctx.attempt);
  const client = await startProbeClient(ctx, { name: `${base}-client`, labels: probeLabels(base, 'client') });
  const name = client.pod;
  involved.push({ apiVersion: 'v1', kind: 'Pod', name, namespace: ctx.namespace });
  const ready = await waitWithClient(ctx, [], `${LABEL_CHECK}=${base}`, client, Math.max(5_000, waitMs));
  if (ready.notReady.length) {
    const state = ready.notReady[0]!.state;
    const taints = /untolerated taint/.test(state) ? ` (${nodeTaints(await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }))})` : '';
    return { problem: `client pod ${name} (ns ${ctx.namespace}) not Ready: ${state}${taints}` };
  }
  return { namespace: ctx.namespace, pod: name };
}

async function targetOf(spec: HttpSpec, ctx: CheckContext, waitMs: number, involved: ObjectRef[]): Promise<Target | { problem: string }> {
  if (spec.url) {
    const url = withNonce(spec.url, ctx.nonce);
    return { label: url.replace(ctx.nonce, '<nonce>'), url };
  }
  const path = withNonce(spec.path ?? '/', ctx.nonce);
  const identify = spec.spread?.identifyPath ?? '/hostname';
  if (spec.service) {
    const namespace = spec.service.namespace ?? ctx.namespace;
    const ref = { apiVersion: 'v1', kind: 'Service', name: spec.service.name, namespace };
    involved.push(ref);
    const svc = await ctx.kube.get<ServiceLike & KubeObject>(ref, { signal: ctx.signal });
    if (!svc) return { problem: `Service ${spec.service.name} (ns ${namespace}) not found` };
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') return { problem: `Service ${spec.service.name} (ns ${namespace}) has no ClusterIP (headless or ExternalName): target a pod or a url instead` };
    const port = servicePort(svc, spec.service.port);
    if ('problem' in port) return port;
    return {
      label: `Service ${spec.service.name} (ns ${namespace}) port ${port.port} (${ip})`,
      url: httpUrl(ip, port.port, path),
      ...(spec.spread ? { identifyUrl: httpUrl(ip, port.port, identify) } : {}),
      service: { object: svc, namespace, port: port.port },
    };
  }
  const p = spec.pod!;
  const namespace = p.namespace ?? ctx.namespace;
  const found = await waitTargetPods(ctx, { namespace, ...(p.name ? { name: p.name } : {}), ...(p.selector ? { selector: p.selector } : {}) }, waitMs);
  if (found.problem) return { problem: found.problem };
  const pod = found.pods[0]!;
  involved.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', namespace });
  const ip = pod.status?.podIP;
  if (!ip) return { problem: `pod ${pod.metadata.name} (ns ${namespace}) has no IP yet` };
  const port = podPort(pod, p.port);
  if ('problem' in port) return port;
  return { label: `pod ${pod.metadata.name} (ns ${namespace}) port ${port.port} (${ip})`, url: httpUrl(ip, port.port, path) };
}

async function runRequests(ctx: CheckContext, client: Client, target: Target, requests: number, maxTimeSec: number): Promise<CurlOutput | undefined> {
  const urls = target.identifyUrl ? [target.url, target.identifyUrl] : [target.url];
  // A few parallel workers keep 30+ requests quick; each try is a new curl, so a new connection.
  const workers = Math.min(3, requests);
  const jobs: CurlJob[] = Array.from({ length: workers }, (_, i) => ({ id: `r${i}`, urls, count: Math.floor(requests / workers) + (i < requests % workers ? 1 : 0) }));
  const budgetSec = Math.max(5, Math.floor((ctx.remainingMs() - VERDICT_MARGIN_MS) / 1000));
  const script = curlScript({ jobs, stopOnSuccess: false, maxTimeSec, deadlineSec: budgetSec });
  const res = await ctx.kube.exec({ namespace: client.namespace, name: client.pod }, ['sh', '-c', script], {
    timeoutMs: Math.min(budgetSec * 1000, Math.ceil(requests / workers) * (maxTimeSec * urls.length + 1) * 1000 + 15_000),
    signal: ctx.signal,
  });
  const text = res.stdout + (res.stderr ? `\n${res.stderr}` : '');
  return text.trim() ? parseCurlOutput(text) : undefined;
}

async function readyEndpointNames(ctx: CheckContext, svc: NonNullable<Target['service']>): Promise<string[]> {
  const slices = await ctx.kube.list<KubeObject & EndpointSliceObject>('discovery.k8s.io/v1', 'EndpointSlice', {
    namespace: svc.namespace,
    labelSelector: `kubernetes.io/service-name=${svc.object.metadata.name}`,
    signal: ctx.signal,
  });
  return readyEndpoints(slices);
}

/** The Service's side of a failure: its selector against the pods, and its endpoints. */
async function diagnose(ctx: CheckContext, svc: NonNullable<Target['service']>, involved: ObjectRef[]): Promise<string | undefined> {
  return (await diagnoseWithPods(ctx, svc, involved)).why;
}

async function diagnoseWithPods(ctx: CheckContext, svc: NonNullable<Target['service']>, involved: ObjectRef[]): Promise<{ why: string | undefined; pods: number }> {
  const slices = await ctx.kube.list<KubeObject & SliceWithPorts>('discovery.k8s.io/v1', 'EndpointSlice', {
    namespace: svc.namespace,
    labelSelector: `kubernetes.io/service-name=${svc.object.metadata.name}`,
    signal: ctx.signal,
  });
  const selector = Object.entries(svc.object.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = selector ? await ctx.kube.list<PodObject>('v1', 'Pod', { namespace: svc.namespace, labelSelector: selector, signal: ctx.signal }) : [];
  for (const p of pods.slice(0, 3)) involved.push({ apiVersion: 'v1', kind: 'Pod', name: p.metadata.name ?? '', namespace: svc.namespace });
  return { why: diagnoseService(svc.object, slices, pods, svc.port), pods: pods.length };
}
