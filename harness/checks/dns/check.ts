// The `dns` check: a ClusterIP Service and a headless Service over a few
// netexec pods, a client pod that asks the cluster DNS (dig) for them in every
// name form, SRV, a missing name, a cross-namespace name (kubernetes.default:
// always there, and reading it changes nothing outside the suite's namespace),
// and reads its own resolv.conf. The suite's namespace is not `default`, so the
// search path seen there is a non-default namespace's.
import pLimit from 'p-limit';
import type { DnsSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { LABEL_CHECK, LABEL_ROLE, probeBaseName, probeLabels, serverPod, service } from '../common/probe-manifests.ts';
import { readyAddresses, readyEndpoints } from '../common/probe-slices.ts';
import { createTracked, podIpOf, waitSlices } from '../common/probe-workload.ts';
import { startProbeClient, waitWithClient } from '../common/shared-client.ts';
import { digCommand, parseDig, type DigResult } from './dig.ts';
import { dnsQueries, evaluateDns, judgeQuery, type DnsQuery, type Judged } from './evaluate.ts';
import { parseResolvConf, resolvProblems } from './resolv.ts';

type ServiceObject = KubeObject & { spec?: { clusterIP?: string } };

const DEFAULT_DOMAIN = 'cluster.local';
const DIG_TRIES = 2;
const NDOTS = 5;
const REQUERY_PAUSE_MS = 1_000;

export const dnsCheck: CheckDefinition<DnsSpec> = {
  kind: 'dns',
  proves: 'cluster DNS resolves Service names in every form, headless Services to their ready pods, SRV for named ports and NXDOMAIN for missing names, and pods get the right resolv.conf',
  standalone: true,
  needs: () => ({ minNodes: 1 }),
  usesSharedClient: () => true,
  async run(spec, ctx) {
    const domain = spec.clusterDomain ?? DEFAULT_DOMAIN;
    const replicas = spec.headlessReplicas ?? 2;
    const timeSec = parseDuration(spec.queryTimeout ?? '2s') / 1000;
    const base = probeBaseName(spec.name ?? spec.kind, ctx.attempt);
    const names = { service: base, headless: `${base}-headless`, client: `${base}-client`, backends: Array.from({ length: replicas }, (_, i) => `${base}-${i}`) };
    const involved: ObjectRef[] = names.backends.map((name) => ({ apiVersion: 'v1', kind: 'Pod', name, namespace: ctx.namespace }));

    const nameserver = spec.nameserver ?? (await clusterDnsIp(ctx));
    const kubernetesIP = spec.crossNamespace === false ? undefined : (await ctx.kube.get<ServiceObject>({ apiVersion: 'v1', kind: 'Service', name: 'kubernetes', namespace: 'default' }, { signal: ctx.signal }))?.spec?.clusterIP;

    ctx.log(`creating Services ${names.service}, ${names.headless} and ${replicas + 1} pods`);
    const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
    const common = { namespace: ctx.namespace, image: ctx.images.agnhost };
    const [svc, , client] = await Promise.all([
      createTracked<ServiceObject>(ctx, service({ name: names.service, namespace: ctx.namespace, labels: probeLabels(base, 'service'), selector, port: 80 })),
      createTracked(ctx, service({ name: names.headless, namespace: ctx.namespace, labels: probeLabels(base, 'service'), selector, port: 80, headless: true })),
      startProbeClient(ctx, { name: names.client, labels: probeLabels(base, 'client') }),
      ...names.backends.map((name) => createTracked(ctx, serverPod({ ...common, name, labels: probeLabels(base, 'backend') }))),
    ]);
    involved.push({ apiVersion: 'v1', kind: 'Pod', name: client.pod, namespace: ctx.namespace });
    const clusterIP = svc.spec?.clusterIP;
    if (!clusterIP || clusterIP === 'None') throw new Error(`Service ${names.service} got no ClusterIP`);

    ctx.log('waiting for the pods to be Ready');
    const ready = await waitWithClient(ctx, names.backends, `${LABEL_CHECK}=${base}`, client, Math.max(5_000, ctx.remainingMs() - 30_000));
    if (ready.notReady.length > 0) {
      return { status: 'fail', reason: ready.notReady.map((p) => `pod ${p.name} not Ready: ${p.state}`).join('; '), involved };
    }
    // The headless name must resolve to the pods the Service lists as ready.
    const slices = await waitSlices(ctx, names.headless, names.backends, Math.max(1_000, Math.min(30_000, ctx.remainingMs() - 20_000)));
    const listed = readyEndpoints(slices);
    const podIPs = listed.length === replicas ? readyAddresses(slices) : names.backends.map((n) => podIpOf(ready.pods.get(n))).filter((ip): ip is string => !!ip);

    const queries = dnsQueries({ namespace: ctx.namespace, domain, service: names.service, clusterIP, headless: names.headless, podIPs, nonce: ctx.nonce, ...(kubernetesIP ? { kubernetesIP } : {}) });
    ctx.log(`asking ${queries.length} DNS questions from ${client.pod}`);
    const results = new Map<string, { result: DigResult | { error: string }; judged: Judged }>();
    const limit = pLimit(4);
    const ask = (q: DnsQuery) =>
      limit(async () => {
        const result = await dig(ctx, client.pod, q, timeSec);
        results.set(q.id, { result, judged: judgeQuery(q, result) });
      });
    const [resolvText] = await Promise.all([readResolv(ctx, client.pod), ...queries.map(ask)]);

    // DNS has no watch: a record created a moment ago may be missing from a
    // cache for a few seconds. Wrong answers are asked again until `settle`
    // ends; "no answer" is not (dig already retried it).
    const settleEnd = Date.now() + Math.min(parseDuration(spec.settle ?? '10s'), Math.max(0, ctx.remainingMs() - 15_000));
    while (Date.now() + REQUERY_PAUSE_MS < settleEnd) {
      const wrong = queries.filter((q) => !results.get(q.id)!.judged.ok && !results.get(q.id)!.judged.noAnswer);
      if (wrong.length === 0) break;
      await pause(REQUERY_PAUSE_MS, ctx.signal);
      await Promise.all(wrong.map(ask));
    }

    const resolv = parseResolvConf(resolvText);
    const resolvIssues = resolvText ? resolvProblems(resolv, { ...(nameserver ? { nameserver } : {}), namespace: ctx.namespace, domain, ndots: NDOTS }) : ['could not read /etc/resolv.conf in the client pod'];
    if (!nameserver) resolvIssues.push('cannot tell the cluster DNS address: no Service kube-dns in kube-system (set nameserver in the check)');
    const judged = queries.map((q) => results.get(q.id)!.judged);
    const v = evaluateDns(queries, judged, resolvIssues, podIPs);

    const evidence: Evidence[] = [
      {
        kind: 'table',
        title: 'DNS queries',
        columns: ['query', 'type', 'asked as', 'resolver', 'status', 'answer', 'expected', 'ok'],
        rows: queries.map((q) => {
          const { result, judged: j } = results.get(q.id)!;
          const r = 'error' in result ? undefined : result;
          return [q.name, q.type, r?.question ?? '', r?.server ?? r?.triedServer ?? '', r?.status ?? 'no answer', j.answer, j.expected, j.ok ? 'yes' : 'NO'];
        }),
      },
      { kind: 'text', title: `/etc/resolv.conf of ${client.pod}`, text: resolvText || '(empty)' },
    ];
    if (v.ok) return { status: 'pass', reason: v.summary, evidence };
    evidence.push({ kind: 'text', title: 'problems', text: v.problems.join('\n') });
    return {
      status: 'fail',
      reason: `${v.problems[0]}${v.problems.length > 1 ? ` (+${v.problems.length - 1} more)` : ''}`,
      evidence,
      involved: [...involved, ...(await dnsPods(ctx))],
      assertions: [
        { name: 'DNS answers', passed: v.noAnswer === 0 },
        { name: 'Service names resolve to the ClusterIP', passed: queries.every((q, i) => !['short', 'ns', 'svc', 'fqdn', 'cross'].includes(q.id) || judged[i]!.ok) },
        { name: 'headless Service resolves to its ready pods', passed: judged[queries.findIndex((q) => q.id === 'headless')]?.ok ?? false },
        { name: 'SRV record for the named port', passed: judged[queries.findIndex((q) => q.id === 'srv')]?.ok ?? false },
        { name: 'missing name gives NXDOMAIN', passed: judged[queries.findIndex((q) => q.id === 'nxdomain')]?.ok ?? false },
        { name: 'resolv.conf', passed: resolvIssues.length === 0 },
      ],
    };
  },
};

async function dig(ctx: CheckContext, pod: string, q: DnsQuery, timeSec: number): Promise<DigResult | { error: string }> {
  // Worst case: every search entry (3) plus the name itself, each timing out on every try.
  const timeoutMs = (q.search ? 4 : 1) * DIG_TRIES * Math.ceil(timeSec) * 1000 + 10_000;
  try {
    const res = await ctx.kube.exec({ namespace: ctx.namespace, name: pod }, digCommand(q.name, q.type, { search: q.search, timeSec, tries: DIG_TRIES }), { timeoutMs, signal: ctx.signal });
    return parseDig(`${res.stdout}\n${res.stderr}`, res.exitCode);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

async function readResolv(ctx: CheckContext, pod: string): Promise<string> {
  const res = await ctx.kube.exec({ namespace: ctx.namespace, name: pod }, ['cat', '/etc/resolv.conf'], { timeoutMs: 20_000, signal: ctx.signal });
  return res.exitCode === 0 ? res.stdout : '';
}

/** ClusterIP of the cluster DNS Service: kube-dns in kube-system (the name kubeadm, kind and most distributions use). */
async function clusterDnsIp(ctx: CheckContext): Promise<string | undefined> {
  const byName = await ctx.kube.get<ServiceObject>({ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', namespace: 'kube-system' }, { signal: ctx.signal });
  if (byName?.spec?.clusterIP) return byName.spec.clusterIP;
  const byLabel = await ctx.kube.list<ServiceObject>('v1', 'Service', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns', signal: ctx.signal });
  return byLabel[0]?.spec?.clusterIP;
}

/** The cluster DNS pods, whose events and logs explain a DNS failure. */
async function dnsPods(ctx: CheckContext): Promise<ObjectRef[]> {
  try {
    const pods = await ctx.kube.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns', signal: ctx.signal });
    return pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', name: p.metadata.name ?? '', namespace: 'kube-system' }));
  } catch {
    return [];
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}
