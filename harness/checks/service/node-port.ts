// `service` mode nodePort: a NodePort Service over netexec pods; a client (a
// pod, or a hostNetwork pod) asks every Ready node's InternalIP at the nodePort
// to echo the nonce and to name the backend that answered. Failing nodes are
// named with what happened (timeout, refused).
import type { ServiceNodePortSpec } from '../../suite/specs/service.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
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
  const client = `${base}-client`;
  const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
  const involved: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'Service', name: base, namespace: ns },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: base, namespace: ns },
  ];

  const targets = nodeTargets(await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }));
  const asked = targets.filter((t) => !t.excluded);
  if (asked.length === 0) return { status: 'fail', reason: `no Ready node with an InternalIP to ask: ${targets.map((t) => `${t.name}: ${t.excluded}`).join('; ')}` };

  ctx.log(`creating NodePort Service ${base} over ${replicas} pods`);
  const svc = await createTracked<ServiceObject>(
    ctx,
    multiPortService({ name: base, namespace: ns, labels: probeLabels(base, 'service'), selector, type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: PROBE_PORT, ...(spec.nodePort ? { nodePort: spec.nodePort } : {}) }] }),
  );
  const nodePort = svc.spec?.ports?.[0]?.nodePort;
  if (!nodePort) throw new Error(`Service ${base} got no nodePort`);
  await Promise.all([
    createTracked(ctx, netexecDeployment({ name: base, namespace: ns, image: ctx.images.agnhost, replicas, labels: probeLabels(base, 'backend'), spread: true })),
    createTracked(ctx, clientPod({ name: client, namespace: ns, image: ctx.images.agnhost, labels: probeLabels(base, 'client'), hostNetwork: from === 'host' })),
  ]);
  const readyMs = Math.min(60_000, ctx.remainingMs() - settleMs - 10_000);
  ctx.log(`waiting for ${replicas} backends and the client`);
  const [svcReady, clientReady] = await Promise.all([
    waitServiceReady(ctx, { service: base, namespace: ns, selector, deployment: base, replicas, timeoutMs: readyMs }),
    waitPodsReady(ctx, [client], `${LABEL_CHECK}=${base}`, readyMs),
  ]);
  if (!svcReady.held) return { status: 'fail', reason: svcReady.reason!, involved };
  if (clientReady.notReady.length > 0) return { status: 'fail', reason: `client pod ${client} not Ready: ${clientReady.notReady[0]!.state}`, involved };
  const backends = svcReady.state.cmp.expected;

  ctx.log(`asking ${asked.length} nodes at nodePort ${nodePort}`);
  const ids = new Map(asked.map((t, i) => [t.name, `n${i}`]));
  const results = await probeRounds(
    ctx,
    client,
    asked.map((t) => {
      const id = ids.get(t.name)!;
      return {
        id,
        urls: (round: number) => [httpUrl(t.ip!, nodePort, `/echo?msg=${echoMessage(ctx.nonce, id, round)}`), httpUrl(t.ip!, nodePort, '/hostname')],
        judge: (tr, round) => tryProblem(tr, [echoTest(echoMessage(ctx.nonce, id, round)), oneOfTest('answered by', backends)]),
      };
    }),
    { settleMs, maxTimeSec },
  );
  const rows = targets.map((t) => {
    const r = t.excluded ? undefined : results.get(ids.get(t.name)!);
    return [t.name, t.ip ?? '', t.excluded ? `left out: ${t.excluded}` : r?.ok ? 'yes' : 'no', r?.ok ? secs(r.passedAfterMs ?? 0) : '', r && !r.ok ? (r.problem ?? '') : ''];
  });
  const evidence = [{ kind: 'table' as const, title: `NodePort ${nodePort} of Service ${base}, asked from ${from === 'host' ? 'hostNetwork ' : ''}pod ${client}`, columns: ['node', 'InternalIP', 'answered', 'after', 'problem'], rows }];
  const failed = asked.filter((t) => !results.get(ids.get(t.name)!)!.ok);
  const assertions = asked.map((t) => ({ name: `node ${t.name} answers at the nodePort`, passed: !failed.includes(t) }));
  const left = targets.filter((t) => t.excluded);
  const leftWords = left.length ? ` (left out: ${left.map((t) => `${t.name} ${t.excluded}`).join(', ')})` : '';
  if (failed.length === 0) {
    return { status: 'pass', reason: `NodePort ${nodePort} answers on ${asked.length}/${asked.length} nodes (${asked.map((t) => t.name).join(', ')}), each echoing the nonce${leftWords}`, evidence, assertions };
  }
  return {
    status: 'fail',
    reason: `NodePort ${nodePort} did not answer on ${failed.map((t) => `${t.name} (${t.ip}): ${results.get(ids.get(t.name)!)!.problem}`).join('; ')}; ${asked.length - failed.length}/${asked.length} nodes answered (${results.get(ids.get(failed[0]!.name)!)!.tries} tries over ${secs(settleMs)})${leftWords}`,
    evidence,
    assertions,
    involved,
  };
}
