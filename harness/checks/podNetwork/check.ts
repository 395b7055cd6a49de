// The `podNetwork` check: a netexec server and an idle client on every node
// that can take part (plus a hostNetwork client per node), every client probes
// every server, and the result is the N x N matrix. See evaluate.ts for what a
// passing cell proves.
import pLimit from 'p-limit';
import type { PodNetworkSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { Evidence } from '../../results/model.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { curlScript, httpUrl, parseCurlOutput, scriptTimeoutMs } from '../common/probe-curl.ts';
import { echoMessage } from '../common/probe-echo.ts';
import { clientPod, PROBE_PORT, probeBaseName, probeLabels, serverPod, LABEL_CHECK } from '../common/probe-manifests.ts';
import { createAllTracked, execScript, podIpOf, waitPodsReady } from '../common/probe-workload.ts';
import { evaluateMatrix, type ClientEnd, type ClientRun, type ServerEnd } from './evaluate.ts';
import { chooseNodes, type Participant } from './participants.ts';
import { judgeRouting } from './routing.ts';
import { readRouting } from './routing-read.ts';

const DEFAULT_TRIES = 3;
const DEFAULT_REQUEST_TIMEOUT = '2s';
const EXEC_PARALLEL = 6;

export const podNetworkCheck: CheckDefinition<PodNetworkSpec> = {
  kind: 'podNetwork',
  proves: 'every pod reaches a pod on every node (N x N) and the server sees the client pod IP (no NAT); every node reaches pods on every node',
  standalone: true,
  needs: () => ({ minNodes: 1 }),
  async run(spec, ctx) {
    const tries = spec.tries ?? DEFAULT_TRIES;
    const maxTimeSec = parseDuration(spec.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT) / 1000;
    const withHost = spec.hostNetwork ?? true;
    const base = probeBaseName(spec.name ?? spec.kind, ctx.attempt);

    const part = chooseNodes(await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }), { includeControlPlane: spec.includeControlPlane ?? true });
    const excludedText = part.excluded.map((e) => `${e.name}: ${e.reason}`).join('; ');
    if (part.nodes.length === 0 || (spec.minNodes !== undefined && part.nodes.length < spec.minNodes)) {
      return {
        status: 'fail',
        reason: `only ${part.nodes.length} node(s) can run probe pods${spec.minNodes !== undefined ? ` (minNodes ${spec.minNodes})` : ''}${excludedText ? `; ${excludedText}` : ''}`,
      };
    }

    // One server, one client and (optionally) one hostNetwork client per node.
    const servers: ServerEnd[] = part.nodes.map((n, i) => ({ node: n.name, pod: `${base}-s${i}` }));
    const clients: ClientEnd[] = part.nodes.flatMap((n, i): ClientEnd[] => [
      { node: n.name, kind: 'pod', pod: `${base}-c${i}` },
      ...(withHost ? [{ node: n.name, kind: 'host' as const, pod: `${base}-h${i}` }] : []),
    ]);
    const place = (n: Participant) => ({ node: n.name, tolerateControlPlane: spec.includeControlPlane ?? true });
    const common = { namespace: ctx.namespace, image: ctx.images.agnhost };
    ctx.log(`creating probe pods on ${part.nodes.length} node(s)`);
    await createAllTracked(ctx, [
      ...part.nodes.map((n, i) => serverPod({ ...common, ...place(n), name: servers[i]!.pod, labels: probeLabels(base, 'server') })),
      ...clients.map((c) =>
        clientPod({ ...common, ...place(part.nodes.find((n) => n.name === c.node)!), name: c.pod, labels: probeLabels(base, c.kind === 'pod' ? 'client' : 'host'), hostNetwork: c.kind === 'host' }),
      ),
    ]);

    const probeMs = scriptTimeoutMs(tries, maxTimeSec, 3);
    const readyMs = spec.readyTimeout ? parseDuration(spec.readyTimeout) : Math.max(5_000, ctx.remainingMs() - probeMs);
    const names = [...servers.map((s) => s.pod), ...clients.map((c) => c.pod)];
    ctx.log(`waiting for ${names.length} probe pods to be Ready`);
    const ready = await waitPodsReady(ctx, names, `${LABEL_CHECK}=${base}`, Math.min(readyMs, ctx.remainingMs()));
    const stateOf = new Map(ready.notReady.map((p) => [p.name, p.state]));
    for (const e of [...servers, ...clients]) {
      const ip = podIpOf(ready.pods.get(e.pod));
      if (ip) e.ip = ip;
      const state = stateOf.get(e.pod);
      if (state) e.notReady = state;
    }

    ctx.log(`probing ${clients.length} x ${servers.length} pairs`);
    const jobId = (j: number) => `s${j}`;
    const expectedEcho = (c: ClientEnd, j: number, n: number | string) => echoMessage(ctx.nonce, rowId(c), jobId(j), n);
    const limit = pLimit(EXEC_PARALLEL);
    const runs = new Map<string, ClientRun>();
    await Promise.all(
      clients
        .filter((c) => !c.notReady)
        .map((c) =>
          limit(async () => {
            const jobs = servers.flatMap((s, j) =>
              s.ip && !s.notReady
                ? [{ id: jobId(j), count: tries, urls: [httpUrl(s.ip, PROBE_PORT, `/echo?msg=${expectedEcho(c, j, '{n}')}`), httpUrl(s.ip, PROBE_PORT, '/clientip'), httpUrl(s.ip, PROBE_PORT, '/hostname')] }]
                : [],
            );
            if (jobs.length === 0) return;
            try {
              const script = curlScript({ jobs, stopOnSuccess: true, maxTimeSec, hostAddresses: c.kind === 'host' });
              const res = await execScript(ctx, c.pod, script, probeMs);
              runs.set(c.pod, { output: parseCurlOutput(res.stdout + (res.stderr ? `\n${res.stderr}` : '')) });
            } catch (err) {
              if (ctx.signal.aborted) throw err;
              runs.set(c.pod, { error: err instanceof Error ? err.message : String(err) });
            }
          }),
        ),
    );

    const v = evaluateMatrix({ clients, servers, runs, jobId, expectedEcho });
    const evidence: Evidence[] = [
      { kind: 'matrix', title: 'pod network (rows: client, columns: server pod on node)', rows: v.rows, cols: v.cols, cells: v.cells },
      {
        kind: 'table',
        title: 'probe pods',
        columns: ['node', 'role', 'pod CIDR', 'server pod', 'server IP', 'client IP', 'host IP'],
        rows: part.nodes.map((n, i) => [
          n.name,
          n.role,
          n.podCidr ?? '',
          servers[i]!.pod,
          servers[i]!.ip ?? servers[i]!.notReady ?? '',
          ipOrState(clients.find((c) => c.node === n.name && c.kind === 'pod')),
          ipOrState(clients.find((c) => c.node === n.name && c.kind === 'host')),
        ]),
      },
    ];
    if (part.excluded.length > 0) evidence.push({ kind: 'text', title: 'nodes left out', text: part.excluded.map((e) => `${e.name}: ${e.reason}`).join('\n') });
    const skipped = part.excluded.length > 0 ? ` (left out: ${part.excluded.map((e) => e.name).join(', ')})` : '';
    // How pods on different nodes reach each other: shown always, judged when the spec names a mode.
    let routingText = '';
    const routingProblems: string[] = [];
    if (withHost) {
      ctx.log('reading routes, links and BGP sessions of every node');
      const hostPodOf = (node: string) => clients.find((c) => c.node === node && c.kind === 'host' && !c.notReady)?.pod;
      const rv = judgeRouting(await readRouting(ctx, part.nodes.map((n) => ({ ...n, ...(hostPodOf(n.name) ? { hostPod: hostPodOf(n.name)! } : {}) }))), spec.routing);
      routingText = `; routing ${rv.observed}`;
      routingProblems.push(...rv.problems);
      evidence.push({ kind: 'table', title: `routing between nodes (observed: ${rv.observed}${spec.routing ? `, expected: ${spec.routing}` : ''})`, columns: ['node', 'to pods of', 'pod CIDR', 'route', 'path'], rows: rv.rows });
      // The sessions behind "bgp": shown always, so a reader sees each one Established (or not).
      if (rv.bgpRows.length) evidence.push({ kind: 'table', title: 'BGP sessions (the CNI agent on each node)', columns: ['node', 'peer', 'AS', 'state'], rows: rv.bgpRows });
    }
    if (v.ok && routingProblems.length === 0) return { status: 'pass', reason: `${v.summary}${routingText}${skipped}`, evidence };
    if (v.ok) {
      evidence.push({ kind: 'text', title: 'routing problems', text: routingProblems.join('\n') });
      return { status: 'fail', reason: `routing is not ${spec.routing}: ${routingProblems[0]}${routingProblems.length > 1 ? ` (+${routingProblems.length - 1} more)` : ''}; ${v.summary}`, evidence, assertions: [{ name: `routing mode ${spec.routing}`, passed: false }] };
    }
    evidence.push({ kind: 'text', title: 'problems', text: [...v.problems, ...routingProblems].join('\n') });
    return fail(v, evidence, involvedPods(ctx, names));
  },
};

function fail(v: ReturnType<typeof evaluateMatrix>, evidence: Evidence[], involved: ObjectRef[]): CheckOutcome {
  return {
    status: 'fail',
    reason: `${v.problems[0] ?? 'no probe ran'}${v.problems.length > 1 ? ` (+${v.problems.length - 1} more)` : ''}; ${v.summary}`,
    evidence,
    involved,
    assertions: [
      { name: 'every pod reaches a pod on every node', passed: v.podPairs.total > 0 && v.podPairs.ok === v.podPairs.total },
      { name: 'servers see client pod IPs (no SNAT)', passed: v.snat === 0 },
      ...(v.hostPairs.total > 0 ? [{ name: 'every node reaches a pod on every node', passed: v.hostPairs.ok === v.hostPairs.total }] : []),
    ],
  };
}

/** A short, stable id of a matrix row for echo messages: "c0", "h2". */
function rowId(c: ClientEnd): string {
  return c.pod.slice(c.pod.lastIndexOf('-') + 1);
}

function ipOrState(c: ClientEnd | undefined): string {
  if (!c) return '';
  return c.ip ?? c.notReady ?? '';
}

function involvedPods(ctx: CheckContext, names: string[]): ObjectRef[] {
  return names.map((name) => ({ apiVersion: 'v1', kind: 'Pod', name, namespace: ctx.namespace }));
}

