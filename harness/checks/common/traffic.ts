// Steady in-cluster traffic as a shell loop in a client pod: one curl at a time
// at a bounded rate for a bounded time, each request logged on one line with
// its start time, curl's exit code, the HTTP status and the answer. The loop is
// started in the background by one exec and read back by another (see
// traffic-session.ts), so a long rollout needs no long-lived exec stream.
// Building the scripts and reading the log are pure.
export { ANSWER_SLACK_SEC } from './probe-curl.ts';

export interface TrafficOptions {
  /** [a-z0-9-]; names the loop's folder /tmp/kc-traffic-<id>. */
  id: string;
  /** URL of each request; its first `{i}` becomes the request number (1, 2, ...). */
  url: string;
  /** Pause between two requests (the rate is at most 1000/intervalMs per second). */
  intervalMs: number;
  /**
   * How long a request may take to connect, seconds (curl --connect-timeout): a
   * stale endpoint shows as a connection that never completes.
   */
  maxTimeSec: number;
  /**
   * Once connected, how much longer the answer may take, seconds (curl
   * --max-time is maxTimeSec + this; default 0). On a busy node the server's
   * answer can be late without anything being lost; the record keeps the
   * times, so a late answer is told apart from a lost one.
   */
  answerSlackSec?: number;
  /** The loop ends by itself after this many seconds, whatever happens to the harness. */
  durationSec: number;
  /**
   * End early (reason "streak") after `count` answers in a row that contain
   * `contains` (a word like " v2 "). With `graceSec`, a streak under way when
   * durationSec is up may run on for that much longer (ended by its first
   * other answer): on a slow node fewer requests fit in the duration, and a
   * Service that answers only from the wanted version should not fail for it.
   */
  untilStreak?: { contains: string; count: number; graceSec?: number };
}

export interface TrafficRecord {
  i: number;
  /** Start of the request, epoch ms on the client pod's clock. */
  t: number;
  /** curl exit code: 0 transfer done, 7 refused, 28 timeout, 52 empty reply, 56 reset... */
  exit: number;
  /** HTTP status (0 when no answer). */
  code: number;
  /** curl's time_connect, seconds (0: never connected); absent in logs of older loops. */
  connectSec?: number;
  /** curl's time_total, seconds. */
  totalSec?: number;
  body: string;
}

export interface TrafficLog {
  /** Loop start, epoch ms on the pod's clock. */
  startedAt?: number;
  /** Loop end, present once the loop has stopped. */
  endedAt?: number;
  /** Why the loop ended: "stop" (asked), "duration" (its own bound). */
  endReason?: string;
  /** Clock resolution of the timestamps: "ms" under bash, "s" under a plain sh. */
  resolution?: 'ms' | 's';
  records: TrafficRecord[];
  stray: string[];
}

const MARK = '@@kt';
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.:[\]_-]+(\/[A-Za-z0-9._~%/?=&{}+-]*)?$/;
const SAFE_ID = /^[a-z0-9-]{1,40}$/;

export function trafficDir(id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`traffic: bad id ${JSON.stringify(id)}`);
  return `/tmp/kc-traffic-${id}`;
}

/** The loop itself (runs under bash when the image has it, else sh; both work). */
export function trafficLoop(o: TrafficOptions): string {
  if (!SAFE_URL.test(o.url)) throw new Error(`traffic: unsafe URL ${JSON.stringify(o.url)}`);
  const dir = trafficDir(o.id);
  const connect = Math.max(1, Math.ceil(o.maxTimeSec));
  const max = connect + Math.max(0, Math.ceil(o.answerSlackSec ?? 0));
  const duration = Math.max(1, Math.ceil(o.durationSec));
  // The request number goes between two quoted halves: no fork per request to build the URL.
  const at = o.url.indexOf('{i}');
  const urlPre = `'${at < 0 ? o.url : o.url.slice(0, at)}'`;
  const urlPost = at < 0 ? '' : `'${o.url.slice(at + 3)}'`;
  if (o.untilStreak && !/^[ A-Za-z0-9._-]+$/.test(o.untilStreak.contains)) throw new Error(`traffic: unsafe streak text ${JSON.stringify(o.untilStreak.contains)}`);
  const graceMs = Math.max(0, Math.round((o.untilStreak?.graceSec ?? 0) * 1000));
  const streak = o.untilStreak
    ? [`  case "$body" in *'${o.untilStreak.contains}'*) s=$((s+1)) ;; *) s=0 ;; esac`, `  if [ "$s" -ge ${Math.max(1, o.untilStreak.count)} ]; then why=streak; break; fi`]
    : [];
  return [
    'set -f',
    `nl='`,
    `'`,
    // bash: millisecond timestamps without a fork; elsewhere whole seconds from date.
    'if [ -n "${EPOCHREALTIME:-}" ]; then',
    '  res=ms; slack=0; now() { t=${EPOCHREALTIME%[.,]*}${EPOCHREALTIME#*[.,]}; t=${t%???}; }',
    'else',
    // Whole seconds: the start is rounded down, so allow up to one second more.
    '  res=s; slack=1000; now() { t=$(( $(date +%s) * 1000 )); }',
    'fi',
    'now; end=$(( t + slack + ' + String(duration * 1000) + ' ))',
    `echo "${MARK} start $t $res"`,
    'i=0; s=0; why=duration',
    'while :; do',
    `  if [ -e ${dir}/stop ]; then why=stop; break; fi`,
    graceMs > 0
      ? `  now; if [ "$t" -ge "$end" ]; then [ "$s" -eq 0 ] && break; [ "$t" -ge $(( end + ${graceMs} )) ] && break; fi`
      : '  now; [ "$t" -ge "$end" ] && break',
    '  i=$((i+1))',
    `  u=${urlPre}$i${urlPost}`,
    `  out=$(curl -sS --max-time ${max} --connect-timeout ${connect} -w "\${nl}%{http_code} %{time_connect} %{time_total}" "$u" 2>/dev/null); rc=$?`,
    '  code=${out##*"$nl"}; body=${out%"$nl"*}; [ "$body" = "$out" ] && body=',
    // printf, not echo: dash's echo would turn the backslash-n in the JSON answer into a line break.
    `  case "$body" in *"$nl"*) body=$(printf '%s' "$body" | tr '\\n' ' ') ;; esac`,
    `  printf '${MARK} r %s %s %s %s %s\\n' "$i" "$t" "$rc" "$code" "$body"`,
    ...streak,
    // Pace by request starts (ms clock): sleep what is left of the interval; whole seconds: a fixed pause.
    '  rt=$t',
    `  if [ "$res" = ms ]; then now; left=$(( rt + ${Math.max(0, Math.round(o.intervalMs))} - t )); else left=${Math.max(0, Math.round(o.intervalMs))}; fi`,
    '  if [ "$left" -ge 1000 ]; then sleep $(( left / 1000 )); left=$(( left % 1000 )); fi',
    '  if [ "$left" -gt 0 ]; then case ${#left} in 1) f=0.00$left ;; 2) f=0.0$left ;; *) f=0.$left ;; esac; sleep "$f" 2>/dev/null || sleep 1; fi',
    'done',
    `now; echo "${MARK} end $t $why"`,
    '',
  ].join('\n');
}

/**
 * sh script for the first exec: writes the loop, starts it detached (its output
 * to a file, so the exec returns at once) and prints the loop's start line.
 */
export function startScript(o: TrafficOptions): string {
  const dir = trafficDir(o.id);
  return [
    `d=${dir}; rm -rf "$d"; mkdir -p "$d"`,
    `cat >"$d/loop.sh" <<'KC_TRAFFIC_EOF'`,
    trafficLoop(o).trimEnd(),
    'KC_TRAFFIC_EOF',
    'if command -v bash >/dev/null 2>&1; then shell=bash; else shell=sh; fi',
    'if command -v setsid >/dev/null 2>&1; then detach=setsid; else detach=; fi',
    '$detach $shell "$d/loop.sh" </dev/null >"$d/log" 2>&1 &',
    'n=0; while [ ! -s "$d/log" ] && [ "$n" -lt 50 ]; do sleep 0.1 2>/dev/null || sleep 1; n=$((n+1)); done',
    'head -n 1 "$d/log"',
    '',
  ].join('\n');
}

/** sh script for the last exec: asks the loop to stop, waits for its end line (bounded), prints the log. */
export function stopScript(id: string, waitSec: number): string {
  const dir = trafficDir(id);
  const tries = Math.max(1, Math.ceil(waitSec * 10));
  return [
    `d=${dir}; touch "$d/stop"`,
    `n=0; while ! grep -q '^${MARK} end' "$d/log" 2>/dev/null && [ "$n" -lt ${tries} ]; do sleep 0.1 2>/dev/null || sleep 1; n=$((n+1)); done`,
    'cat "$d/log"',
    '',
  ].join('\n');
}

/** sh script that prints the log so far (the loop keeps running). */
export function peekScript(id: string): string {
  return `cat ${trafficDir(id)}/log\n`;
}

export function parseTrafficLog(text: string): TrafficLog {
  const out: TrafficLog = { records: [], stray: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const start = new RegExp(`^${MARK} start (\\d+) (ms|s)$`).exec(line);
    if (start) {
      out.startedAt = Number(start[1]);
      out.resolution = start[2] as 'ms' | 's';
      continue;
    }
    const end = new RegExp(`^${MARK} end (\\d+) (\\S+)$`).exec(line);
    if (end) {
      out.endedAt = Number(end[1]);
      out.endReason = end[2]!;
      continue;
    }
    const r = new RegExp(`^${MARK} r (\\d+) (\\d+) (\\d+) (\\d*)(?: (\\d+[.,]\\d+) (\\d+[.,]\\d+))? ?(.*)$`).exec(line);
    if (r) {
      const rec: TrafficRecord = { i: Number(r[1]), t: Number(r[2]), exit: Number(r[3]), code: Number(r[4] || 0), body: (r[7] ?? '').trim() };
      // A locale may print a decimal comma.
      if (r[5] !== undefined && r[6] !== undefined) {
        rec.connectSec = Number(r[5].replace(',', '.'));
        rec.totalSec = Number(r[6].replace(',', '.'));
      }
      out.records.push(rec);
      continue;
    }
    out.stray.push(line);
  }
  return out;
}
