// Pure verdict of the pod network matrix: from what each client's probe script
// printed to one cell per (client, server node), and problems as sentences.
//
// A cell passes when one try, within the allowed tries, completed all three
// requests on the server pod of that node: /echo returned the exact message
// (run nonce + cell + try), /hostname the server pod's name, and /clientip the
// address the server saw. That address must be:
// - pod client: the client pod's IP and the client socket's port (no NAT on the
//   way, as the Kubernetes network model requires for pod-to-pod traffic);
// - host client (hostNetwork): an address of the client's own node. The model
//   promises node agents can reach pods, not which source address they use:
//   the kernel picks the node IP, the CNI bridge/gateway address (same node) or
//   the tunnel address (VXLAN) by route, and a CNI may masquerade to one of
//   them. Any of the node's own addresses is right; another node's address or
//   anything else is not.
import type { MatrixCell } from '../../results/model.ts';
import { curlFailure, type CurlOutput, type CurlTry } from '../common/probe-curl.ts';
import { echoProblem, parseHostPort, quoteAnswer } from '../common/probe-echo.ts';

export interface ServerEnd {
  node: string;
  pod: string;
  ip?: string;
  /** Set when the server pod never became Ready: its state in words. */
  notReady?: string;
}

export interface ClientEnd {
  node: string;
  kind: 'pod' | 'host';
  pod: string;
  /** Pod IP (for hostNetwork pods: the node's IP). */
  ip?: string;
  notReady?: string;
}

/** What one client's exec gave: the parsed output, or why it could not run. */
export type ClientRun = { output: CurlOutput } | { error: string };

export interface MatrixInput {
  clients: ClientEnd[];
  servers: ServerEnd[];
  /** By client pod name. */
  runs: Map<string, ClientRun>;
  /** The job id of server j in a client's script. */
  jobId(serverIndex: number): string;
  /** The exact echo expected by this client from server j on try n. */
  expectedEcho(client: ClientEnd, serverIndex: number, n: number): string;
}

export interface MatrixVerdict {
  ok: boolean;
  rows: string[];
  cols: string[];
  cells: MatrixCell[][];
  problems: string[];
  podPairs: { ok: number; total: number };
  hostPairs: { ok: number; total: number };
  snat: number;
  summary: string;
}

export const rowLabel = (c: ClientEnd) => `${c.node} ${c.kind}`;

export function evaluateMatrix(input: MatrixInput): MatrixVerdict {
  const problems: string[] = [];
  const rows = input.clients.map(rowLabel);
  const cols = input.servers.map((s) => s.node);
  for (const s of input.servers.filter((x) => x.notReady)) problems.push(`server pod ${s.pod} on ${s.node} not Ready: ${s.notReady}`);
  for (const c of input.clients.filter((x) => x.notReady)) problems.push(`${c.kind === 'host' ? 'hostNetwork client' : 'client'} pod ${c.pod} on ${c.node} not Ready: ${c.notReady}`);
  for (const c of input.clients) {
    const run = input.runs.get(c.pod);
    if (!c.notReady && run && 'error' in run) problems.push(`${rowLabel(c)}: probes could not run: ${run.error}`);
  }

  let snat = 0;
  const podPairs = { ok: 0, total: 0 };
  const hostPairs = { ok: 0, total: 0 };
  const cells = input.clients.map((c) =>
    input.servers.map((s, j) => {
      const judged = judgeCell(c, s, j, input);
      const pairs = c.kind === 'pod' ? podPairs : hostPairs;
      pairs.total++;
      if (judged.cell.ok) pairs.ok++;
      if (judged.snat) snat++;
      if (judged.problem) problems.push(`${rowLabel(c)} -> ${s.node} pod: ${judged.problem}`);
      return judged.cell;
    }),
  );
  const ok = problems.length === 0 && cells.length > 0;
  const host = hostPairs.total > 0 ? `, ${hostPairs.ok}/${hostPairs.total} host->pod` : '';
  const summary = `${podPairs.ok}/${podPairs.total} pod pairs${host}, ${snat === 0 ? 'no SNAT' : `${snat} with SNAT`}`;
  return { ok, rows, cols, cells, problems, podPairs, hostPairs, snat, summary };
}

interface Judged {
  cell: MatrixCell;
  problem?: string;
  snat?: boolean;
}

function judgeCell(c: ClientEnd, s: ServerEnd, j: number, input: MatrixInput): Judged {
  if (c.notReady) return { cell: { ok: false, label: 'no client', detail: `client pod not Ready: ${c.notReady}` } };
  if (s.notReady) return { cell: { ok: false, label: 'no server', detail: `server pod not Ready: ${s.notReady}` } };
  const run = input.runs.get(c.pod);
  if (!run) return { cell: { ok: false, label: 'not run' }, problem: 'no probe was run' };
  if ('error' in run) return { cell: { ok: false, label: 'exec failed', detail: run.error } };
  if (run.output.stray.some((l) => /not found/.test(l))) {
    return { cell: { ok: false, label: 'no curl' }, problem: `probe tools missing in the client image: ${run.output.stray.find((l) => /not found/.test(l))}` };
  }
  const tries = run.output.tries.filter((t) => t.job === input.jobId(j)).sort((a, b) => a.n - b.n);
  if (tries.length === 0) return { cell: { ok: false, label: 'no result' }, problem: 'the probe printed nothing for this server' };
  const good = tries.find((t) => t.exitCode === 0);
  if (!good) {
    const last = tries[tries.length - 1]!;
    const f = curlFailure(last.exitCode, last.error);
    return {
      cell: { ok: false, label: f.label, detail: `${tries.length} tries; last: ${last.error ?? f.words}` },
      problem: `${f.words} after ${tries.length} ${tries.length === 1 ? 'try' : 'tries'}`,
    };
  }
  return judgeAnswer(c, s, good, input.expectedEcho(c, j, good.n), tries.length, run.output.addresses);
}

function judgeAnswer(c: ClientEnd, s: ServerEnd, t: CurlTry, expectedEcho: string, tried: number, hostAddresses: string[]): Judged {
  const [echo, clientip, hostname] = t.transfers;
  const latencyMs = echo?.totalMs;
  const fail = (label: string, problem: string, snat = false): Judged => ({
    cell: { ok: false, label, detail: problem, ...(latencyMs !== undefined ? { latencyMs } : {}) },
    problem,
    snat,
  });
  if (!echo || !clientip || !hostname) return fail('bad answer', `expected 3 answers (echo, clientip, hostname), got ${t.transfers.length}`);
  const notOk = t.transfers.find((x) => x.httpCode !== 200);
  if (notOk) return fail(`HTTP ${notOk.httpCode}`, `HTTP ${notOk.httpCode} from the server: ${quoteAnswer(notOk.body)}`);
  const echoWrong = echoProblem(echo.body, expectedEcho);
  if (echoWrong) return fail('bad echo', echoWrong);
  if (hostname.body.trim() !== s.pod) return fail('wrong pod', `answered by ${quoteAnswer(hostname.body)}, expected server pod ${s.pod}`);
  const seen = parseHostPort(clientip.body);
  if (!seen) return fail('bad clientip', `/clientip answered ${quoteAnswer(clientip.body)}, not an address`);

  if (c.kind === 'pod') {
    if (!c.ip) return fail('no pod IP', `client pod ${c.pod} has no pod IP`);
    if (seen.ip !== c.ip) return fail('SNAT', `SNAT: server saw ${seen.ip}, client is ${c.ip}`, true);
    if (clientip.localPort && seen.port !== clientip.localPort) {
      return fail('NAT', `NAT: server saw ${seen.ip}:${seen.port}, client socket ${clientip.localIp}:${clientip.localPort}`, true);
    }
  } else {
    const own = new Set([...(c.ip ? [c.ip] : []), ...(clientip.localIp ? [clientip.localIp] : []), ...hostAddresses.filter((a) => !isLoopback(a))]);
    if (!own.has(seen.ip)) {
      return fail('SNAT', `SNAT: server saw ${seen.ip}, not an address of node ${c.node} (${[...own].join(', ')})`, true);
    }
  }
  const label = latencyMs === undefined ? 'ok' : latencyMs < 1 ? '<1ms' : `${Math.round(latencyMs)}ms`;
  return { cell: { ok: true, label, ...(latencyMs !== undefined ? { latencyMs } : {}), detail: `source ${seen.ip}${tried > 1 ? `; ok on try ${t.n} of ${tried}` : ''}` } };
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}
