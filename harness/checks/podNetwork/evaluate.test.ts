import { describe, expect, it } from 'vitest';
import type { CurlOutput, CurlTry, Transfer } from '../common/probe-curl.ts';
import { echoMessage } from '../common/probe-echo.ts';
import { evaluateMatrix, type ClientEnd, type ClientRun, type MatrixInput, type ServerEnd } from './evaluate.ts';

const NONCE = '5eed';
const NODES = ['node-a', 'node-b', 'node-c'];
const POD_IP = (i: number) => `10.244.${i}.5`;
const NODE_IP = (i: number) => `172.18.0.${i + 2}`;
const GW_IP = (i: number) => `10.244.${i}.1`;
const SRV_IP = (i: number) => `10.244.${i}.9`;

const servers = (): ServerEnd[] => NODES.map((node, i) => ({ node, pod: `pn-s${i}`, ip: SRV_IP(i) }));
const clients = (host = true): ClientEnd[] =>
  NODES.flatMap((node, i): ClientEnd[] => [
    { node, kind: 'pod', pod: `pn-c${i}`, ip: POD_IP(i) },
    ...(host ? [{ node, kind: 'host' as const, pod: `pn-h${i}`, ip: NODE_IP(i) }] : []),
  ]);

const jobId = (j: number) => `s${j}`;
const expectedEcho = (c: ClientEnd, j: number, n: number | string) => echoMessage(NONCE, c.pod, jobId(j), n);

function transfer(body: string, over: Partial<Transfer> = {}): Transfer {
  return { body, httpCode: 200, connectMs: 0.4, totalMs: 1.6, localIp: '', localPort: 0, exitCode: 0, ...over };
}

/** A try as netexec answers it; `seen` overrides the source address the server reports. */
function goodTry(c: ClientEnd, j: number, n: number, opts: { seen?: string; seenPort?: number; localIp?: string; echo?: string; hostname?: string } = {}): CurlTry {
  const localIp = opts.localIp ?? c.ip ?? '';
  const port = 40_000 + j;
  return {
    job: jobId(j),
    n,
    exitCode: 0,
    transfers: [
      transfer(opts.echo ?? expectedEcho(c, j, n), { localIp, localPort: port }),
      transfer(`${opts.seen ?? localIp}:${opts.seenPort ?? port}`, { localIp, localPort: port }),
      transfer(opts.hostname ?? `pn-s${j}`, { localIp, localPort: port }),
    ],
  };
}

function failedTry(j: number, n: number, exitCode: number, error: string): CurlTry {
  return { job: jobId(j), n, exitCode, transfers: [transfer('', { httpCode: 0, exitCode })], error };
}

function output(tries: CurlTry[], addresses: string[] = []): ClientRun {
  const out: CurlOutput = { tries, addresses, stray: [] };
  return { output: out };
}

/** Every client answered well by every server, unless `tweak` says otherwise. */
function input(tweak: (c: ClientEnd, j: number) => CurlTry[] | undefined = () => undefined, opts: { host?: boolean } = {}): MatrixInput {
  const cs = clients(opts.host ?? true);
  const ss = servers();
  const runs = new Map<string, ClientRun>();
  for (const c of cs) {
    const i = NODES.indexOf(c.node);
    const addrs = c.kind === 'host' ? ['127.0.0.1', NODE_IP(i), GW_IP(i), `10.244.${i}.0`] : [];
    runs.set(c.pod, output(ss.flatMap((_, j) => tweak(c, j) ?? [goodTry(c, j, 1)]), addrs));
  }
  return { clients: cs, servers: ss, runs, jobId, expectedEcho };
}

describe('evaluateMatrix', () => {
  it('passes a healthy 3-node cluster: 9 pod pairs, 9 host->pod pairs, latency in every cell', () => {
    const v = evaluateMatrix(input());
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('9/9 pod pairs, 9/9 host->pod, no SNAT');
    expect(v.rows).toEqual(['node-a pod', 'node-a host', 'node-b pod', 'node-b host', 'node-c pod', 'node-c host']);
    expect(v.cols).toEqual(NODES);
    expect(v.cells.flat().every((c) => c.ok && c.label === '2ms' && c.latencyMs === 1.6)).toBe(true);
  });

  it('names SNAT: the server saw the node IP instead of the client pod IP', () => {
    const v = evaluateMatrix(input((c, j) => (c.pod === 'pn-c1' && j === 0 ? [goodTry(c, j, 1, { seen: '172.18.0.3' })] : undefined)));
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(['node-b pod -> node-a pod: SNAT: server saw 172.18.0.3, client is 10.244.1.5']);
    expect(v.snat).toBe(1);
    expect(v.cells[2]![0]).toMatchObject({ ok: false, label: 'SNAT' });
    expect(v.summary).toBe('8/9 pod pairs, 9/9 host->pod, 1 with SNAT');
  });

  it('names a rewritten source port as NAT even when the IP is kept', () => {
    const v = evaluateMatrix(input((c, j) => (c.pod === 'pn-c0' && j === 2 ? [goodTry(c, j, 1, { seenPort: 1024 })] : undefined)));
    expect(v.problems).toEqual(['node-a pod -> node-c pod: NAT: server saw 10.244.0.5:1024, client socket 10.244.0.5:40002']);
  });

  it('names a blackholed node: its column times out after every try, every other cell passes', () => {
    const v = evaluateMatrix(input((_c, j) => (j === 2 ? [1, 2, 3].map((n) => failedTry(j, n, 28, 'curl: (28) Connection timed out after 1001 milliseconds')) : undefined)));
    expect(v.ok).toBe(false);
    expect(v.problems).toContain('node-a pod -> node-c pod: timeout after 3 tries');
    expect(v.problems).toContain('node-b host -> node-c pod: timeout after 3 tries');
    expect(v.problems).toHaveLength(6);
    expect(v.cells.map((row) => row.map((c) => c.label))).toEqual(Array(6).fill(['2ms', '2ms', 'timeout']));
    expect(v.summary).toBe('6/9 pod pairs, 6/9 host->pod, no SNAT');
  });

  it('passes a cell that answered on the second try, and says so', () => {
    const v = evaluateMatrix(input((c, j) => (c.pod === 'pn-c0' && j === 1 ? [failedTry(j, 1, 7, 'curl: (7) Failed to connect'), goodTry(c, j, 2)] : undefined)));
    expect(v.ok).toBe(true);
    expect(v.cells[0]![1]!.detail).toBe('source 10.244.0.5; ok on try 2 of 2');
  });

  it('fails every cell when a stub answers "ok" to everything', () => {
    const stub = (c: ClientEnd, j: number): CurlTry[] => [
      { job: jobId(j), n: 1, exitCode: 0, transfers: [transfer('ok', { localIp: c.ip ?? '' }), transfer('ok'), transfer('ok')] },
    ];
    const v = evaluateMatrix(input(stub));
    expect(v.ok).toBe(false);
    expect(v.cells.flat().every((c) => !c.ok && c.label === 'bad echo')).toBe(true);
    expect(v.problems[0]).toBe('node-a pod -> node-a pod: echo mismatch: expected "kconform-5eed-pn-c0-s0-1", got "ok"');
    expect(v.podPairs.ok).toBe(0);
  });

  it('fails an answer echoed for another try (a replayed answer)', () => {
    const v = evaluateMatrix(input((c, j) => (c.pod === 'pn-c2' && j === 0 ? [goodTry(c, j, 1, { echo: expectedEcho(c, j, 2) })] : undefined)));
    expect(v.problems).toEqual(['node-c pod -> node-a pod: echo mismatch: expected "kconform-5eed-pn-c2-s0-1", got "kconform-5eed-pn-c2-s0-2"']);
  });

  it('fails an answer from the wrong pod (the IP belongs to someone else)', () => {
    const v = evaluateMatrix(input((c, j) => (c.pod === 'pn-c0' && j === 1 ? [goodTry(c, j, 1, { hostname: 'intruder' })] : undefined)));
    expect(v.problems).toEqual(['node-a pod -> node-b pod: answered by "intruder", expected server pod pn-s1']);
    expect(v.cells[0]![1]!.label).toBe('wrong pod');
  });

  it('accepts any address of the client node for host->pod (node IP, CNI gateway), not another node', () => {
    const v = evaluateMatrix(
      input((c, j) => {
        if (c.pod === 'pn-h0' && j === 0) return [goodTry(c, j, 1, { localIp: GW_IP(0) })]; // same node: via cni0
        if (c.pod === 'pn-h0' && j === 1) return [goodTry(c, j, 1, { localIp: '10.244.0.0' })]; // VXLAN: flannel.1
        if (c.pod === 'pn-h1' && j === 2) return [goodTry(c, j, 1, { seen: NODE_IP(1) })]; // masqueraded to its own node IP
        if (c.pod === 'pn-h2' && j === 0) return [goodTry(c, j, 1, { seen: NODE_IP(0) })]; // someone else's address
        return undefined;
      }),
    );
    expect(v.problems).toEqual(['node-c host -> node-a pod: SNAT: server saw 172.18.0.2, not an address of node node-c (172.18.0.4, 10.244.2.1, 10.244.2.0)']);
    expect(v.hostPairs).toEqual({ ok: 8, total: 9 });
  });

  it('names pods that never became Ready once, and marks their row or column', () => {
    const i = input();
    i.clients[2]!.notReady = 'ImagePullBackOff';
    i.servers[1]!.notReady = 'Pending: 0/3 nodes are available';
    const v = evaluateMatrix(i);
    expect(v.ok).toBe(false);
    expect(v.problems.slice(0, 2)).toEqual(['server pod pn-s1 on node-b not Ready: Pending: 0/3 nodes are available', 'client pod pn-c1 on node-b not Ready: ImagePullBackOff']);
    expect(v.cells[2]!.every((c) => c.label === 'no client')).toBe(true);
    expect(v.cells.map((r) => r[1]!.label).filter((l) => l === 'no server')).toHaveLength(5);
  });

  it('reports a client whose exec failed and one with no curl in its image', () => {
    const i = input(undefined, { host: false });
    i.runs.set('pn-c0', { error: 'exec failed: container not found' });
    i.runs.set('pn-c1', { output: { tries: [], addresses: [], stray: ['sh: 1: curl: not found'] } });
    const v = evaluateMatrix(i);
    expect(v.problems).toContain('node-a pod: probes could not run: exec failed: container not found');
    expect(v.problems).toContain('node-b pod -> node-a pod: probe tools missing in the client image: sh: 1: curl: not found');
    expect(v.summary).toBe('3/9 pod pairs, no SNAT');
  });

  it('does not pass an empty matrix', () => {
    expect(evaluateMatrix({ clients: [], servers: [], runs: new Map(), jobId, expectedEcho }).ok).toBe(false);
  });
});
