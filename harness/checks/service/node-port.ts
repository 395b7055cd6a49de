// `service` mode nodePort: a NodePort Service over netexec pods; a client (a
// pod, or a hostNetwork pod) asks every Ready node's InternalIP at the nodePort
// to echo the nonce and to name the backend that answered. Failing nodes are
// named with what happened (timeout, refused).
import type { ServiceNodePortSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { podReady, podState, type NodeObject, type PodObject } from '../../kube/objects.ts';
import { attribute, clientNodes, placementWords, type Cell } from '../common/client-target.ts';
import { clientPod, LABEL_CHECK, LABEL_ROLE, PROBE_PORT, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { multiPortService, netexecDeployment } from '../common/probe-deployment.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import { httpUrl } from '../common/probe-curl.ts';
import { echoMessage } from '../common/probe-echo.ts';
import { secs } from '../common/timing-words.ts';
import { echoTest, oneOfTest, tryProblem } from './answers.ts';
import { probeRounds } from './probe-rounds.ts';
import { waitServiceReady } from './service-ready.ts';

type ServiceObject = KubeObject & { spec?: { ports?: { nodePort?: number }[] } };

export interface NodeTarget {
  name: string;
  ip?: string;
  /** Why the node is left out (not Ready, no InternalIP). */
  excluded?: string;
}

/** Every node with its InternalIP; NotReady nodes and nodes without an InternalIP are left out, with the reason. Pure. */
export function nodeTargets(nodes: NodeObject[]): NodeTarget[] {
  return [...nodes]
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .map((n) => {
      const name = n.metadata.name ?? '';
      const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
      if (!ip) return { name, excluded: 'no InternalIP' };
      if (ready !== 'True') return { name, ip, excluded: `not Ready (Ready=${ready ?? 'unknown'})` };
      return { name, ip };
    });
}

export async function runNodePort(spec: ServiceNodePortSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const replicas = spec.replicas ?? 2;
  const maxTimeSec = parseDuration(spec.requestTimeout ?? '2s') / 1000;
  const settleMs = spec.settle ? parseDuration(spec.settle) : 10_000;
  const from = spec.from ?? 'pod';
  const base = probeBaseName(spec.name ?? 'service-nodeport', ctx.attempt);
  const ns = ctx.namespace;
  const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
  const involved: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'Service', name: base, namespace: ns },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ns },
  ];

  const targets = nodeTargets(await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }));
  const asked = targets.filter((t) => !t.excluded);
  if (asked.length === 0) return { status: 'fail', reason: `no Ready node with an InternalIP to ask: ${targets.map((t) => `${t.name}: ${t.excluded}`).join('; ')}` };
  // Clients on several nodes (placed, and the placement stated), so a fault on a
  // client's own node is told apart from a fault on the node asked.
  const placed = clientNodes(asked.map((t) => t.name)).map((node, i) => ({ node, pod: `${base}-client-${i}` }));

  ctx.log(`creating NodePort Service ${base} over ${replicas} pods; clients on ${placed.map((c) => c.node).join(', ')}`);
  const svc = await createTracked<ServiceObject>(
    ctx,
    multiPortService({ name: base, namespace: ns, labels: probeLabels(base, 'service'), selector, type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: PROBE_PORT, ...(spec.nodePort ? { nodePort: spec.nodePort } : {}) }] }),
  );
  const nodePort = svc.spec?.ports?.[0]?.nodePort;
  if (!nodePort) throw new Error(`Service ${base} got no nodePort`);
  await Promise.all([
    createTracked(ctx, netexecDeployment({ name: base, namespace: ns, image: ctx.images.agnhost, replicas, labels: probeLabels(base, 'backend'), spread: true })),
    ...placed.map((c) => createTracked(ctx, clientPod({ name: c.pod, namespace: ns, image: ctx.images.agnhost, labels: probeLabels(base, 'client'), hostNetwork: from === 'host', node: c.node, tolerateControlPlane: true }))),
  ]);
  const readyMs = Math.min(60_000, ctx.remainingMs() - settleMs - 10_000);
  ctx.log(`waiting for ${replicas} backends and ${placed.length} clients`);
  const [svcReady, clientReady] = await Promise.all([
    waitServiceReady(ctx, { service: base, namespace: ns, selector, deployment: base, replicas, timeoutMs: readyMs }),
    waitPodsReady(ctx, placed.map((c) => c.pod), `${LABEL_CHECK}=${base},${LABEL_ROLE}=client`, readyMs),
  ]);
  if (!svcReady.held) return { status: 'fail', reason: svcReady.reason!, involved };
  const clients = placed.filter((c) => !clientReady.notReady.some((n) => n.name === c.pod));
  if (clients.length === 0) return { status: 'fail', reason: `no client pod became Ready: ${clientReady.notReady.map((n) => `${n.name}: ${n.state}`).join('; ')}`, involved };
  const unplaced = placed.filter((c) => !clients.includes(c)).map((c) => `no client on ${c.node} (pod ${c.pod} ${clientReady.notReady.find((n) => n.name === c.pod)?.state})`);
  const backends = svcReady.state.cmp.expected;

  ctx.log(`asking ${asked.length} nodes at nodePort ${nodePort} from ${placementWords(clients)}`);
  const ids = new Map(asked.map((t, i) => [t.name, `n${i}`]));
  const grid = await Promise.all(
    clients.map(async (c) => ({
      client: c,
      results: await probeRounds(
        ctx,
        c.pod,
        asked.map((t) => {
          const id = ids.get(t.name)!;
          return {
            id,
            urls: (round: number) => [httpUrl(t.ip!, nodePort, `/echo?msg=${echoMessage(ctx.nonce, id, round)}`), httpUrl(t.ip!, nodePort, '/hostname')],
            judge: (tr, round) => tryProblem(tr, [echoTest(echoMessage(ctx.nonce, id, round)), oneOfTest('answered by', backends)]),
          };
        }),
        { settleMs, maxTimeSec },
      ),
    })),
  );
  const cells: Cell[] = grid.flatMap((g) =>
    asked.map((t) => {
      const r = g.results.get(ids.get(t.name)!)!;
      return { client: g.client.node, target: t.name, ok: r.ok, ...(r.problem && !r.ok ? { problem: r.problem } : {}) };
    }),
  );
  const proxies = await kubeProxyByNode(ctx);
  const blame = attribute(cells, {
    target: (t) => `node ${t} (${asked.find((x) => x.name === t)?.ip})`,
    answers: `answers at NodePort ${nodePort}`,
    clientCause: (node) => {
      const why = proxies.get(node);
      return why ? `${why}, so its kube-proxy rules are missing or stale` : undefined;
    },
  });

  const rows = targets.map((t) => [
    t.name,
    t.ip ?? '',
    ...grid.map((g) => {
      if (t.excluded) return `left out: ${t.excluded}`;
      const r = g.results.get(ids.get(t.name)!)!;
      return r.ok ? `yes (${secs(r.passedAfterMs ?? 0)})` : `no: ${r.problem ?? ''}`;
    }),
  ]);
  const placement = `${from === 'host' ? 'hostNetwork ' : ''}${placementWords(clients)}`;
  const evidence = [{ kind: 'table' as const, title: `NodePort ${nodePort} of Service ${base}, asked from ${placement}`, columns: ['node asked', 'InternalIP', ...clients.map((c) => `from ${c.node}`)], rows }];
  const failedTargets = asked.filter((t) => cells.some((x) => x.target === t.name && !x.ok));
  const assertions = [
    ...asked.map((t) => ({ name: `node ${t.name} answers at the nodePort`, passed: !blame.badTargets.includes(t.name) && !cells.every((x) => !x.ok) })),
    ...clients.map((c) => ({ name: `the nodePorts answer from a client on ${c.node}`, passed: cells.some((x) => x.client === c.node && x.ok) && !blame.badClients.includes(c.node) })),
  ];
  const left = targets.filter((t) => t.excluded);
  const notes = [...unplaced, ...(left.length ? [`left out: ${left.map((t) => `${t.name} ${t.excluded}`).join(', ')}`] : [])];
  const noteWords = notes.length ? ` (${notes.join('; ')})` : '';
  if (cells.every((x) => x.ok)) {
    return { status: 'pass', reason: `NodePort ${nodePort} answers on ${asked.length}/${asked.length} nodes (${asked.map((t) => t.name).join(', ')}) from ${placement}, each echoing the nonce${noteWords}`, evidence, assertions };
  }
  const tries = Math.max(...grid.flatMap((g) => [...g.results.values()].map((r) => r.tries)));
  return {
    status: 'fail',
    reason: `${blame.sentences.join('; ')} (${tries} tries over ${secs(settleMs)}; ${asked.length - failedTargets.length}/${asked.length} nodes answered every client)${noteWords}`,
    evidence: [...evidence, { kind: 'text' as const, title: 'who is at fault', text: blame.sentences.join('\n') }],
    assertions,
    involved,
  };
}

/** Per node, why its kube-proxy cannot be serving (no pod, not Ready), from kube-system; empty when unreadable. */
export async function kubeProxyByNode(ctx: CheckContext): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  try {
    const [nodes, pods] = await Promise.all([
      ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }),
      ctx.kube.list<PodObject>('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy', signal: ctx.signal }),
    ]);
    if (pods.length === 0) return out; // kube-proxy-less clusters (a CNI replaces it): say nothing.
    for (const n of nodes) {
      const name = n.metadata.name ?? '';
      const p = pods.find((x) => x.spec?.nodeName === name && !x.metadata.deletionTimestamp);
      out.set(name, !p ? 'no kube-proxy pod runs there' : podReady(p) ? undefined : `its kube-proxy pod ${p.metadata.name} is ${podState(p)}`);
    }
  } catch {
    // Evidence only: the grid already names the side at fault.
  }
  return out;
}
