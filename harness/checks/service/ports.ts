// `service` mode ports: one pod with a netexec container per port (each
// listening on its own targetPort, the container port named like the Service
// port), a Service whose targetPorts are those names, and a client that asks
// every Service port to echo the nonce and to say which server port answered.
import { nodeChangeTolerations } from '../common/node-change-tolerations.ts';
import type { ServicePortsSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject, ObjectRef } from '../../kube/types.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { netexecContainer, probePodOf, LABEL_CHECK, LABEL_ROLE, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { multiPortService } from '../common/probe-deployment.ts';
import { createTracked } from '../common/probe-workload.ts';
import { startProbeClient, waitWithClient } from '../common/shared-client.ts';
import { httpUrl } from '../common/probe-curl.ts';
import { echoMessage } from '../common/probe-echo.ts';
import { secs } from '../common/timing-words.ts';
import { echoTest, equalsTest, tryProblem } from './answers.ts';
import { probeRounds } from './probe-rounds.ts';

export const DEFAULT_PORTS = [
  { name: 'http', port: 80, targetPort: 8080 },
  { name: 'rpc', port: 6800, targetPort: 6800 },
  { name: 'peer', port: 6880, targetPort: 6880 },
];

type ServiceObject = KubeObject & { spec?: { clusterIP?: string } };

/** One pod, one netexec container per port, each Ready once its own port answers. */
export function multiPortPod(o: { name: string; namespace: string; image: string; labels: Record<string, string>; ports: { name: string; targetPort: number }[]; tolerations?: Record<string, unknown>[] }): KubeObject {
  return probePodOf(o, {
    containers: o.ports.map((p) => netexecContainer({ name: `netexec-${p.name}`.slice(0, 63), image: o.image, port: p.targetPort, portName: p.name })),
  });
}

export async function runPorts(spec: ServicePortsSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const ports = spec.ports ?? DEFAULT_PORTS;
  const dupTarget = ports.find((p, i) => ports.findIndex((q) => q.targetPort === p.targetPort) !== i);
  if (dupTarget) throw new Error(`ports: targetPort ${dupTarget.targetPort} is used twice; each port needs its own server`);
  const maxTimeSec = parseDuration(spec.requestTimeout ?? '2s') / 1000;
  const settleMs = spec.settle ? parseDuration(spec.settle) : 15_000;
  const base = probeBaseName(spec.name ?? 'service-ports', ctx.attempt);
  const ns = ctx.namespace;
  const names = { service: base, server: `${base}-server`, client: `${base}-client` };
  const involved: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'Service', name: names.service, namespace: ns },
    { apiVersion: 'v1', kind: 'Pod', name: names.server, namespace: ns },
  ];

  ctx.log(`creating Service ${names.service} with ports ${ports.map((p) => `${p.name} ${p.port}->${p.targetPort}`).join(', ')}`);
  const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
  const svc = await createTracked<ServiceObject>(
    ctx,
    multiPortService({ name: names.service, namespace: ns, labels: probeLabels(base, 'service'), selector, ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name })) }),
  );
  const clusterIP = svc.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') throw new Error(`Service ${names.service} got no ClusterIP`);
  const [client] = await Promise.all([
    startProbeClient(ctx, { name: names.client, labels: probeLabels(base, 'client') }),
    createTracked(ctx, multiPortPod({ name: names.server, namespace: ns, image: ctx.images.agnhost, labels: probeLabels(base, 'backend'), ports, tolerations: nodeChangeTolerations(ctx.runId) })),
  ]);
  involved.push({ apiVersion: 'v1', kind: 'Pod', name: client.pod, namespace: ns });
  const ready = await waitWithClient(ctx, [names.server], `${LABEL_CHECK}=${base}`, client, Math.min(60_000, ctx.remainingMs() - settleMs - 10_000));
  if (ready.notReady.length > 0) {
    return { status: 'fail', reason: `${ready.notReady.map((p) => `pod ${p.name} not Ready: ${p.state}`).join('; ')} (after ${secs(ready.waitedMs)})`, involved };
  }

  ctx.log(`asking ${clusterIP} on ${ports.length} ports`);
  const results = await probeRounds(
    ctx,
    client.pod,
    ports.map((p, i) => {
      const id = `p${i}`;
      return {
        id,
        urls: (round: number) => [httpUrl(clusterIP, p.port, `/echo?msg=${echoMessage(ctx.nonce, id, round)}`), httpUrl(clusterIP, p.port, '/serverport')],
        judge: (t, round) => tryProblem(t, [echoTest(echoMessage(ctx.nonce, id, round)), equalsTest('answered from server port', String(p.targetPort))]),
      };
    }),
    { settleMs, maxTimeSec },
  );
  const rows = ports.map((p, i) => {
    const r = results.get(`p${i}`)!;
    return [p.name, p.port, p.targetPort, r.ok ? 'yes' : 'no', r.ok ? secs(r.passedAfterMs ?? 0) : '', r.ok ? '' : (r.problem ?? '')];
  });
  const evidence = [{ kind: 'table' as const, title: `Service ${names.service} (${clusterIP}) ports, asked from pod ${client.pod}`, columns: ['name', 'port', 'targetPort', 'answered', 'after', 'problem'], rows }];
  const assertions = ports.map((p, i) => ({ name: `port ${p.name} (${p.port} -> ${p.targetPort}) answers with the nonce`, passed: results.get(`p${i}`)!.ok }));
  const failed = ports.map((p, i) => ({ p, r: results.get(`p${i}`)! })).filter((x) => !x.r.ok);
  if (failed.length === 0) {
    return { status: 'pass', reason: `Service ${names.service} answers on ${ports.map((p) => `${p.name} ${p.port}->${p.targetPort}`).join(', ')}, each echoing the nonce from its own target port`, evidence, assertions };
  }
  return {
    status: 'fail',
    reason: `${failed.map((f) => `port ${f.p.name} (${clusterIP}:${f.p.port} -> ${f.p.targetPort}): ${f.r.problem}`).join('; ')} (${failed[0]!.r.tries} tries over ${secs(settleMs)})`,
    evidence,
    assertions,
    involved,
  };
}

