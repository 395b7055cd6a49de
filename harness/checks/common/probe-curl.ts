// Probes as one shell script run in a client pod: curl jobs, in parallel, each
// a bounded number of tries, every transfer followed by a marker line with its
// HTTP status, timings and the client socket address. Building the script and
// reading its output are pure (and tested against a local server); running it
// is the caller's exec.

/**
 * How much longer than its limit a connected request may wait for its answer
 * where a late answer is not a lost one (steady traffic, distribution counts).
 * The probe answers /shell by forking a shell, which on a busy 2-core node was
 * seen to take over a second; a stale or silent endpoint still fails at the
 * connect limit (it never connects, or refuses).
 */
export const ANSWER_SLACK_SEC = 4;

/** One job: the same URLs tried up to `count` times (n = 1..count). */
export interface CurlJob {
  /** [a-z0-9-], unique within the script. */
  id: string;
  /** URLs fetched on one curl command line; `{n}` becomes the try number. */
  urls: string[];
  count: number;
}

export interface CurlScriptOptions {
  jobs: CurlJob[];
  /** Stop a job at its first try whose transfers all completed (curl exit 0). */
  stopOnSuccess: boolean;
  /** curl --max-time per transfer, seconds (the connect limit is half of it, at least 1 s). */
  maxTimeSec: number;
  /**
   * Seconds a connected transfer may take beyond maxTimeSec (default 0): an
   * answer that is late on a busy node is told apart from one that never comes
   * (the transfer's connect and total times say which).
   */
  answerSlackSec?: number;
  /** Also print this host's addresses (`ip -o addr`) in an `addrs` block. */
  hostAddresses?: boolean;
  /** Start no new try after this many seconds (so the output arrives before the exec's own limit). */
  deadlineSec?: number;
}

export interface Transfer {
  body: string;
  httpCode: number;
  connectMs: number;
  totalMs: number;
  localIp: string;
  localPort: number;
  exitCode?: number;
}

export interface CurlTry {
  job: string;
  n: number;
  /** curl's exit code (0 = every transfer completed; 28 timeout; 7 could not connect...). */
  exitCode: number;
  transfers: Transfer[];
  /** curl's own error line, e.g. "curl: (28) Connection timed out after 2001 milliseconds". */
  error?: string;
}

export interface CurlOutput {
  tries: CurlTry[];
  /** Addresses of the host the script ran on, when asked for. */
  addresses: string[];
  /** Lines outside any block (shell errors such as "curl: not found"). */
  stray: string[];
}

const MARK = '@@kc';
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.:[\]_-]+(\/[A-Za-z0-9._~%/?=&{}+-]*)?$/;

/** POSIX sh script; jobs run in the background, outputs printed job by job. */
export function curlScript(opts: CurlScriptOptions): string {
  if (opts.jobs.length === 0) throw new Error('curlScript: no jobs');
  const limit = Math.max(1, Math.ceil(opts.maxTimeSec));
  const connect = Math.max(1, Math.min(limit, Math.ceil(opts.maxTimeSec / 2)));
  const max = limit + Math.max(0, Math.ceil(opts.answerSlackSec ?? 0));
  const write = `\\n${MARK} w %{http_code} %{time_connect} %{time_total} %{local_ip} %{local_port} %{exitcode}\\n`;
  const lines = [
    // No globbing: URLs hold "?" and are word-split below.
    'set -f',
    'd=$(mktemp -d 2>/dev/null || echo /tmp/kc$$); mkdir -p "$d"',
    `end=$(( $(date +%s) + ${Math.max(1, Math.floor(opts.deadlineSec ?? 86_400))} ))`,
    'run() {',
    '  id=$1; count=$2; shift 2; n=0',
    '  while [ "$n" -lt "$count" ] && [ "$(date +%s)" -lt "$end" ]; do',
    '    n=$((n+1))',
    `    echo "${MARK} begin $id $n"`,
    `    set --; for u in $urls; do set -- "$@" "$(echo "$u" | sed "s/{n}/$n/g")"; done`,
    `    curl -sS --fail-early --max-time ${max} --connect-timeout ${connect} -w '${write}' "$@" 2>&1`,
    '    rc=$?',
    `    echo "${MARK} end $id $n $rc"`,
    opts.stopOnSuccess ? '    [ "$rc" -eq 0 ] && break' : '    :',
    '  done',
    '}',
  ];
  for (const job of opts.jobs) {
    if (!/^[a-z0-9-]+$/.test(job.id)) throw new Error(`curlScript: bad job id ${JSON.stringify(job.id)}`);
    for (const u of job.urls) if (!SAFE_URL.test(u)) throw new Error(`curlScript: unsafe URL ${JSON.stringify(u)}`);
    lines.push(`urls='${job.urls.join(' ')}' run ${job.id} ${Math.max(1, Math.floor(job.count))} >"$d/${job.id}" 2>&1 &`);
  }
  lines.push('wait');
  if (opts.hostAddresses) {
    lines.push(`echo "${MARK} addrs"`, '(ip -o addr show 2>/dev/null || busybox ip -o addr show 2>/dev/null)', `echo "${MARK} addrs-end"`);
  }
  for (const job of opts.jobs) lines.push(`cat "$d/${job.id}"`);
  lines.push('rm -rf "$d"');
  return `${lines.join('\n')}\n`;
}

/** Reads the script's output back into tries and transfers. Tolerant of missing pieces. */
export function parseCurlOutput(text: string): CurlOutput {
  const out: CurlOutput = { tries: [], addresses: [], stray: [] };
  let current: CurlTry | undefined;
  let body: string[] = [];
  let inAddrs = false;
  for (const line of text.split('\n')) {
    if (inAddrs) {
      if (line === `${MARK} addrs-end`) inAddrs = false;
      else out.addresses.push(...addressesOf(line));
      continue;
    }
    if (line === `${MARK} addrs`) {
      inAddrs = true;
      continue;
    }
    const begin = new RegExp(`^${MARK} begin (\\S+) (\\d+)$`).exec(line);
    if (begin) {
      current = { job: begin[1]!, n: Number(begin[2]), exitCode: -1, transfers: [] };
      body = [];
      continue;
    }
    if (!current) {
      if (line.trim() !== '') out.stray.push(line);
      continue;
    }
    const end = new RegExp(`^${MARK} end (\\S+) (\\d+) (\\d+)$`).exec(line);
    if (end) {
      current.exitCode = Number(end[3]);
      out.tries.push(current);
      current = undefined;
      continue;
    }
    if (line.startsWith(`${MARK} w `)) {
      current.transfers.push(transferOf(line, body));
      body = [];
      continue;
    }
    if (/^curl: \(\d+\)/.test(line) || /curl: (not found|command not found)/.test(line)) {
      current.error = current.error ?? line.trim();
      continue;
    }
    body.push(line);
  }
  // A script cut short (exec timeout) leaves an unterminated try: keep what it saw.
  if (current) out.tries.push(current);
  return out;
}

function transferOf(line: string, body: string[]): Transfer {
  const f = line.slice(`${MARK} w `.length).split(' ');
  const exit = f[5] !== undefined && /^\d+$/.test(f[5]) ? { exitCode: Number(f[5]) } : {};
  return {
    body: body.join('\n'),
    httpCode: Number(f[0]) || 0,
    connectMs: seconds(f[1]),
    totalMs: seconds(f[2]),
    localIp: f[3] ?? '',
    localPort: Number(f[4]) || 0,
    ...exit,
  };
}

function seconds(s: string | undefined): number {
  const v = Number((s ?? '').replace(',', '.'));
  return Number.isFinite(v) ? Math.round(v * 1000 * 10) / 10 : 0;
}

/** Addresses on one `ip -o addr` line ("2: eth0    inet 172.18.0.3/16 brd ..."). */
function addressesOf(line: string): string[] {
  const m = /\binet6? ([0-9a-fA-F.:]+)\/\d+/.exec(line);
  return m ? [m[1]!] : [];
}

/** Words for a curl exit code, for cell labels and messages. */
export function curlFailure(exitCode: number, error?: string): { label: string; words: string } {
  const detail = error ? ` (${error.replace(/^curl: \(\d+\)\s*/, '')})` : '';
  switch (exitCode) {
    case 28:
      return { label: 'timeout', words: 'timeout' };
    case 7:
      return { label: 'no connect', words: `could not connect${detail}` };
    case 6:
      return { label: 'no resolve', words: `could not resolve host${detail}` };
    case 52:
      return { label: 'empty reply', words: 'empty reply from server' };
    case 56:
      return { label: 'reset', words: `connection reset${detail}` };
    case 127:
      return { label: 'no curl', words: 'curl is not installed in the probe image' };
    case -1:
      return { label: 'cut short', words: 'probe cut short (exec ended before the try finished)' };
    default:
      return { label: `curl ${exitCode}`, words: `curl exit ${exitCode}${detail}` };
  }
}

/** http://ip:port/path, with brackets around an IPv6 address. */
export function httpUrl(host: string, port: number, path: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Exec time limit for a script of parallel jobs: every try of one job, plus slack. */
export function scriptTimeoutMs(perJobTries: number, maxTimeSec: number, transfersPerTry = 1): number {
  return perJobTries * (Math.ceil(maxTimeSec) * transfersPerTry + 1) * 1000 + 15_000;
}
