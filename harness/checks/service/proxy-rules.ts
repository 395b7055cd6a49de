// `service` mode proxyRules: kube-proxy's mode on every node, and in iptables
// mode the Service's KUBE-SVC chain as each node has it, read with
// iptables-save from a privileged hostNetwork pod on that node (in the suite's
// namespace, deleted after). The chain must send to exactly the ready endpoints
// with probabilities 1/K, 1/(K-1), ..., then unconditionally. Optionally M new
// connections are counted per endpoint next to the rules.
import type { ServiceProxyRulesSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import { KubeApiError } from '../../kube/errors.ts';
import { pause, realClock } from '../../kube/clock.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { PROBE_POD_DEFAULTS, LABEL_CHECK, LABEL_ROLE, PROBE_PORT, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { multiPortService, netexecDeployment, pinToNode } from '../common/probe-deployment.ts';
import { startProbeClient, waitWithClient, type ProbeClient } from '../common/shared-client.ts';
import { createTracked, execScript } from '../common/probe-workload.ts';
import { curlScript, httpUrl, parseCurlOutput, type CurlJob } from '../common/probe-curl.ts';
import { answerPath, tallyAnswers, type Tally } from '../serviceDistribution/answers.ts';
import { listedEndpoints } from './endpoint-sets.ts';
import { findServiceChain, judgeServiceChain, readServiceChain, type ChainVerdict } from './kube-svc-chain.ts';
import { configuredProxyMode, kubeProxyTable, nodeReadScript, parseNodeRead } from './node-read.ts';
import { kubeProxyByNode, nodeTargets, type NodeTarget } from './node-port.ts';
import { serviceSources, serviceState, waitServiceReady, type ServiceState } from './service-ready.ts';
import { settle } from '../../kube/settle.ts';

const READ_PAUSE_MS = 1_000;
const REQUEST_WORKERS = 3;

type ServiceObject = KubeObject & { spec?: { clusterIP?: string; selector?: Record<string, string>; ports?: { name?: string; port: number; protocol?: string }[] } };

export const READ_ONLY_SKIP = "read-only mode: reading a node's iptables rules needs a privileged hostNetwork pod on every node";

/** A privileged pod in the node's network namespace, for iptables-save and the kube-proxy metrics port. */
export function nodeReaderPod(o: { name: string; namespace: string; image: string; labels: Record<string, string>; node: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      ...PROBE_POD_DEFAULTS,
      // It must run on every node, whatever the node's taints.
      tolerations: [{ operator: 'Exists' }],
      ...pinToNode(o.node),
      containers: [{ name: 'agnhost', image: o.image, imagePullPolicy: 'IfNotPresent', args: ['pause'], securityContext: { privileged: true } }],
    },
  };
}

interface NodeRules {
  node: NodeTarget;
  mode: string;
  modeFrom: 'metrics port' | 'ConfigMap' | 'rules found' | 'unknown';
  tool?: string;
  chain?: string;
  verdict?: ChainVerdict;
  problem?: string;
  done: boolean;
  /** kube-proxy is not running on the node: whatever was read does not count. */
  stale?: boolean;
}

interface Target {
  service: string;
  namespace: string;
  clusterIP: string;
  port: { name: string; port: number; protocol: string };
  selector: Record<string, string>;
}

export async function runProxyRules(spec: ServiceProxyRulesSpec, ctx: CheckContext): Promise<CheckOutcome> {
  if (ctx.readOnly) return { status: 'skip', reason: READ_ONLY_SKIP };
  const base = probeBaseName(spec.name ?? 'service-proxyrules', ctx.attempt);
  const ns = ctx.namespace;
  const settleMs = spec.settle ? parseDuration(spec.settle) : 20_000;
  const requests = spec.requests ?? 0;
  const maxTimeSec = parseDuration(spec.requestTimeout ?? '2s') / 1000;
  const involved: ObjectRef[] = [];

  const configured = configuredProxyMode(await kubeProxyConfig(ctx));
  const targets = nodeTargets(await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }));
  const nodes = targets.filter((t) => !t.excluded);
  if (nodes.length === 0) return { status: 'fail', reason: `no Ready node to read: ${targets.map((t) => `${t.name}: ${t.excluded}`).join('; ')}` };

  // The Service: the check's own (K netexec pods) or the one named in the spec.
  let target: Target;
  let replicas: number | undefined;
  let client: ProbeClient | undefined;
  if (spec.service) {
    const svcNs = spec.namespace ?? ns;
    const svc = await ctx.kube.get<ServiceObject>({ apiVersion: 'v1', kind: 'Service', name: spec.service, namespace: svcNs }, { signal: ctx.signal });
    if (!svc) return { status: 'fail', reason: `Service ${spec.service} not found in namespace ${svcNs}` };
    const p = svc.spec?.ports?.[0];
    const ip = svc.spec?.clusterIP;
    if (!p || !ip || ip === 'None') return { status: 'fail', reason: `Service ${spec.service} (ns ${svcNs}) has no ClusterIP port (headless or without ports): kube-proxy writes no KUBE-SVC chain for it` };
    target = { service: spec.service, namespace: svcNs, clusterIP: ip, port: { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }, selector: svc.spec?.selector ?? {} };
    involved.push({ apiVersion: 'v1', kind: 'Service', name: spec.service, namespace: svcNs });
  } else {
    replicas = spec.replicas ?? 3;
    const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
    ctx.log(`creating Service ${base} over ${replicas} endpoints`);
    const svc = await createTracked<ServiceObject>(ctx, multiPortService({ name: base, namespace: ns, labels: probeLabels(base, 'service'), selector, ports: [{ name: 'http', port: 80, targetPort: PROBE_PORT }] }));
    if (!svc.spec?.clusterIP) throw new Error(`Service ${base} got no ClusterIP`);
    target = { service: base, namespace: ns, clusterIP: svc.spec.clusterIP, port: { name: 'http', port: 80, protocol: 'TCP' }, selector };
    await createTracked(ctx, netexecDeployment({ name: base, namespace: ns, image: ctx.images.agnhost, replicas, labels: probeLabels(base, 'backend'), spread: true }));
    if (requests > 0) client = await startProbeClient(ctx, { name: `${base}-client`, labels: probeLabels(base, 'client') });
    involved.push({ apiVersion: 'v1', kind: 'Service', name: base, namespace: ns }, { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ns });
  }

  const readers = nodes.map((n, i) => ({ node: n, pod: `${base}-node-${i}` }));
  ctx.log(`starting a privileged hostNetwork pod on ${readers.length} nodes to read their rules`);
  await Promise.all(readers.map((r) => createTracked(ctx, nodeReaderPod({ name: r.pod, namespace: ns, image: ctx.images.agnhost, labels: probeLabels(base, 'node-reader'), node: r.node.name }))));
  const readyMs = Math.min(60_000, ctx.remainingMs() - settleMs - 10_000);
  const [podsReady, svcReady] = await Promise.all([
    waitWithClient(ctx, readers.map((r) => r.pod), `${LABEL_CHECK}=${base}`, client, readyMs),
    replicas !== undefined
      ? waitServiceReady(ctx, { ...target, deployment: target.service, replicas, timeoutMs: readyMs })
      : currentState(ctx, target),
  ]);
  if (podsReady.notReady.length > 0) return { status: 'fail', reason: podsReady.notReady.map((p) => `pod ${p.name} not Ready: ${p.state}`).join('; '), involved };
  if ('held' in svcReady && !svcReady.held) return { status: 'fail', reason: svcReady.reason!, involved };
  const state = 'held' in svcReady ? svcReady.state : svcReady;
  const expected = readyTargets(state, target.port.name);
  const podByAddress = new Map(state.pods.map((p) => [p.status?.podIP ?? '', p.metadata.name ?? '']));

  // kube-proxy programs the nodes a moment after the slices change; that cannot
  // be watched, so nodes whose chain is not right yet are read again.
  ctx.log(`reading kube-proxy's mode and rules on ${readers.length} nodes`);
  const perNode = new Map<string, NodeRules>();
  // Rules outlive kube-proxy: a node without a running kube-proxy is named, not counted by its stale rules.
  const proxies = await kubeProxyByNode(ctx);
  const end = Date.now() + settleMs;
  for (;;) {
    const pending = readers.filter((r) => !perNode.get(r.node.name)?.done);
    await Promise.all(pending.map(async (r) => perNode.set(r.node.name, withProxyPod(await readNode(ctx, r.pod, r.node, configured, target, expected), proxies.get(r.node.name)))));
    if (readers.every((r) => perNode.get(r.node.name)!.done) || Date.now() + READ_PAUSE_MS >= end || ctx.signal.aborted) break;
    await pause(realClock, READ_PAUSE_MS, ctx.signal);
  }

  let tally: Tally | undefined;
  if (client) {
    ctx.log(`sending ${requests} new connections to ${target.clusterIP}:${target.port.port}`);
    tally = await countAnswers(ctx, client.pod, target, requests, maxTimeSec, state.cmp.expected);
  }

  return verdictOf({ readers: readers.map((r) => perNode.get(r.node.name)!), excluded: targets.filter((t) => t.excluded), configured, target, expected, podByAddress, tally, involved });
}

async function kubeProxyConfig(ctx: CheckContext): Promise<string | undefined> {
  try {
    const cm = await ctx.kube.get<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap', name: 'kube-proxy', namespace: 'kube-system' }, { signal: ctx.signal });
    return cm?.data?.['config.conf'];
  } catch (err) {
    // A grader's kubeconfig may not read kube-system: the metrics port still tells.
    if (err instanceof KubeApiError && err.status === 403) return undefined;
    throw err;
  }
}

async function currentState(ctx: CheckContext, t: Target): Promise<ServiceState> {
  const r = await settle(ctx.kube, serviceSources(t), (sets) => ({ ok: true, verdict: serviceState(sets, t) }), { timeoutMs: 0, signal: ctx.signal });
  return r.verdict;
}

/** ip:port of every ready endpoint, for the Service port named `portName`. */
function readyTargets(state: ServiceState, portName: string): string[] {
  const out: string[] = [];
  for (const s of state.slices) {
    const port = (s.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
    if (!port) continue;
    for (const e of listedEndpoints([s])) {
      if (!e.ready) continue;
      for (const a of e.addresses) out.push(a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`);
    }
  }
  return [...new Set(out)].sort();
}

/** A node whose kube-proxy is not running fails whatever its (stale) rules say; its mode is not claimed. */
export function withProxyPod(r: NodeRules, notRunning: string | undefined): NodeRules {
  if (!notRunning) return r;
  return { ...r, mode: r.modeFrom === 'metrics port' ? r.mode : 'unknown', modeFrom: r.modeFrom === 'metrics port' ? r.modeFrom : 'unknown', problem: `kube-proxy is not running here: ${notRunning}${r.chain ? ` (the ${r.chain} rules read there are left over and will not follow Service changes)` : ''}`, done: true, stale: true };
}

async function readNode(ctx: CheckContext, pod: string, node: NodeTarget, configured: ReturnType<typeof configuredProxyMode>, t: Target, expected: string[]): Promise<NodeRules> {
  let text: string;
  try {
    const res = await execScript(ctx, pod, nodeReadScript(node.ip, true), 30_000);
    text = res.stdout;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { node, mode: configured?.mode ?? 'unknown', modeFrom: configured ? 'ConfigMap' : 'unknown', problem: `could not read the rules: ${err instanceof Error ? err.message : String(err)}`, done: false };
  }
  const read = parseNodeRead(text);
  const table = kubeProxyTable(read);
  const mode = read.proxyMode ?? configured?.mode ?? (table ? 'iptables' : 'unknown');
  const modeFrom: NodeRules['modeFrom'] = read.proxyMode ? 'metrics port' : configured ? 'ConfigMap' : table ? 'rules found' : 'unknown';
  const out: NodeRules = { node, mode, modeFrom, done: false };
  if (mode !== 'iptables') {
    out.done = mode !== 'unknown';
    if (mode === 'unknown') out.problem = `kube-proxy's mode is unknown: the metrics port ${node.ip}:10249 did not answer, the kube-proxy ConfigMap was not readable, and the nat table has no KUBE-SERVICES rules`;
    return out;
  }
  if (!table) {
    out.problem = `no KUBE-SERVICES rules in the nat table (${read.saves.map((s) => s.tool).join(', ') || 'no iptables-save in the probe image'}): is kube-proxy running on this node?`;
    return out;
  }
  out.tool = table.tool;
  const chain = findServiceChain(table.dump, { clusterIP: t.clusterIP, port: t.port.port, protocol: t.port.protocol });
  if (!chain) {
    out.problem = `KUBE-SERVICES has no rule for ${t.clusterIP}:${t.port.port}/${t.port.protocol} (Service ${t.service})`;
    return out;
  }
  out.chain = chain;
  out.verdict = judgeServiceChain(readServiceChain(table.dump, chain), expected);
  out.done = out.verdict.ok;
  if (!out.verdict.ok) out.problem = out.verdict.problems.join('; ');
  return out;
}

async function countAnswers(ctx: CheckContext, client: string, t: Target, requests: number, maxTimeSec: number, endpoints: string[]): Promise<Tally> {
  const k = Math.max(1, Math.min(REQUEST_WORKERS, requests));
  const jobs: CurlJob[] = Array.from({ length: k }, (_, i) => ({
    id: `w${i}`,
    urls: [httpUrl(t.clusterIP, t.port.port, answerPath(ctx.nonce, `w${i}`))],
    count: Math.floor(requests / k) + (i < requests % k ? 1 : 0),
  }));
  const budgetSec = Math.max(5, Math.floor((ctx.remainingMs() - 10_000) / 1000));
  const res = await execScript(ctx, client, curlScript({ jobs, stopOnSuccess: false, maxTimeSec, deadlineSec: budgetSec }), (budgetSec + maxTimeSec + 15) * 1000);
  return tallyAnswers([parseCurlOutput(res.stdout + (res.stderr ? `\n${res.stderr}` : ''))], { nonce: ctx.nonce, endpoints });
}

function verdictOf(o: {
  readers: NodeRules[];
  excluded: NodeTarget[];
  configured: ReturnType<typeof configuredProxyMode>;
  target: Target;
  expected: string[];
  podByAddress: Map<string, string>;
  tally: Tally | undefined;
  involved: ObjectRef[];
}): CheckOutcome {
  const k = o.expected.length;
  const podOf = (ep: string) => o.podByAddress.get(ep.replace(/^\[?([^\]]+?)\]?:\d+$/, '$1')) ?? '';
  const evidence: Evidence[] = [
    {
      kind: 'table',
      title: `kube-proxy mode per node${o.configured ? ` (ConfigMap kube-proxy: mode ${o.configured.explicit ? o.configured.mode : '"" = iptables'})` : ''}`,
      columns: ['node', 'mode', 'from', 'iptables tool', 'chain', 'probabilities'],
      rows: [
        ...o.readers.map((r) => [r.node.name, r.mode, r.modeFrom, r.tool ?? '', r.chain ?? '', r.verdict?.summary ?? r.problem ?? '']),
        ...o.excluded.map((n) => [n.name, 'not read', n.excluded ?? '', '', '', '']),
      ],
    },
  ];
  const iptablesNodes = o.readers.filter((r) => r.mode === 'iptables');
  const shown = iptablesNodes.find((r) => r.verdict) ?? undefined;
  for (const r of iptablesNodes.filter((x) => x.verdict)) {
    if (r !== shown && r.verdict!.ok) continue; // identical on every healthy node: one table is enough
    evidence.push({
      kind: 'table',
      title: `${r.chain} on node ${r.node.name} (${r.tool}) for ${o.target.namespace}/${o.target.service}:${o.target.port.name || o.target.port.port}, K=${k}`,
      columns: ['rule', 'endpoint', 'pod', 'probability', 'expected', 'share of new connections', ...(o.tally ? ['answered'] : [])],
      rows: r.verdict!.rows.map((row) => [row.rule, row.endpoint, podOf(row.endpoint), row.probability, row.expected, `${(row.share * 100).toFixed(1)}%`, ...(o.tally ? [o.tally.counts.get(podOf(row.endpoint)) ?? 0] : [])]),
    });
  }
  if (o.tally) {
    const answered = [...o.tally.counts.values()].reduce((a, b) => a + b, 0);
    evidence.push({ kind: 'counts', title: `${o.tally.made} new connections to ${o.target.clusterIP}:${o.target.port.port}: answers per endpoint (${answered} answered)`, counts: Object.fromEntries(o.tally.counts), expected: o.tally.made / Math.max(1, o.tally.counts.size) });
  }

  const stale = o.readers.filter((r) => r.stale);
  const unknown = o.readers.filter((r) => r.mode === 'unknown' && !r.stale);
  const badChains = iptablesNodes.filter((r) => !r.done && !r.stale);
  const others = o.readers.filter((r) => r.mode !== 'iptables' && r.mode !== 'unknown');
  const assertions = [
    { name: "kube-proxy's mode is known on every node", passed: unknown.length === 0 },
    ...(iptablesNodes.length > 0 ? [{ name: `KUBE-SVC chain is 1/K, 1/(K-1), ..., unconditional over the ${k} ready endpoints on every iptables node`, passed: badChains.length === 0 }] : []),
  ];
  // Only nodes that were read and run kube-proxy are claimed; where the mode came from is said.
  const counted = o.readers.filter((r) => !r.stale && r.mode !== 'unknown');
  const fromConfig = counted.filter((r) => r.modeFrom !== 'metrics port').length;
  const modes =
    [...new Set(counted.map((r) => r.mode))].map((m) => `${m} on ${counted.filter((r) => r.mode === m).length}/${o.readers.length} nodes`).join(', ') +
    (stale.length ? `${counted.length ? ', ' : ''}not running on ${stale.map((r) => r.node.name).join(', ')}` : '');
  const modeSource = fromConfig ? ` (mode from the ConfigMap on ${fromConfig} node${fromConfig === 1 ? '' : 's'}: the metrics port did not answer)` : '';
  if (stale.length > 0 || unknown.length > 0 || badChains.length > 0) {
    const first = [...stale, ...badChains, ...unknown][0]!;
    const more = stale.length + badChains.length + unknown.length - 1;
    return { status: 'fail', reason: `node ${first.node.name}: ${first.problem}${more > 0 ? ` (+${more} more nodes)` : ''}; kube-proxy ${modes}${modeSource}`, evidence, assertions, involved: o.involved };
  }
  if (iptablesNodes.length === 0) {
    return { status: 'skip', reason: `kube-proxy ${modes}: KUBE-SVC chains and their probabilities exist in iptables mode only`, evidence, assertions };
  }
  const counts = o.tally ? `; ${o.tally.made} connections: ${[...o.tally.counts.entries()].map(([n, c]) => `${n} ${c}`).join(', ')}` : '';
  const otherWords = others.length > 0 ? ` (${others.map((r) => `${r.node.name} in ${r.mode} mode, not read`).join(', ')})` : '';
  return {
    status: 'pass',
    reason: `kube-proxy ${modes}; ${shown?.chain} (K=${k}): ${shown?.verdict?.summary} on every iptables node${otherWords}${counts}${modeSource}`,
    evidence,
    assertions,
  };
}
