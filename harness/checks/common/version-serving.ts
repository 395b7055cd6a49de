// "Does the Service serve version X now?": a short synchronous request loop in
// the client pod that ends after `streak` answers from X in a row (kube-proxy
// may take a moment to forget the old pods), or after `settleSec`.
// The same rule as the steady traffic: a request must connect within
// maxTimeSec (a stale endpoint never does), and a connected one may answer up
// to ANSWER_SLACK_SEC later (late, not lost: on a busy node the server is slow,
// not wrong).
import type { CheckContext } from '../types.ts';
import { ANSWER_SLACK_SEC, parseTrafficLog, trafficLoop, type TrafficLog } from './traffic.ts';
import { failuresText, readAnswer, summarizeTraffic } from './version-probe.ts';

export interface Serving {
  ok: boolean;
  words: string;
}

export interface ServingOptions {
  client: string;
  url: string;
  version: string;
  streak: number;
  settleSec: number;
  maxTimeSec: number;
}

export async function verifyServing(ctx: CheckContext, o: ServingOptions): Promise<Serving> {
  // A streak under way at settleSec may finish: as long again at most.
  const graceSec = o.settleSec;
  const loop = trafficLoop({
    id: `serve-${o.version.toLowerCase().replace(/[^a-z0-9-]/g, '')}`,
    url: o.url,
    intervalMs: 50,
    maxTimeSec: o.maxTimeSec,
    answerSlackSec: ANSWER_SLACK_SEC,
    durationSec: o.settleSec,
    untilStreak: { contains: ` ${o.version} `, count: o.streak, graceSec },
  });
  const res = await ctx.kube.exec({ namespace: ctx.namespace, name: o.client }, ['sh', '-c', `if command -v bash >/dev/null 2>&1; then exec bash -c "$0"; else exec sh -c "$0"; fi`, loop], {
    timeoutMs: (o.settleSec + graceSec + o.maxTimeSec + ANSWER_SLACK_SEC + 20) * 1000,
    signal: ctx.signal,
  });
  return judgeServing(parseTrafficLog(res.stdout), ctx.nonce, o, (res.stdout + res.stderr).trim());
}

/** The loop's log in words: a streak is a pass; anything else says what was answered and the last three requests. Pure. */
export function judgeServing(log: TrafficLog, nonce: string, o: Pick<ServingOptions, 'version' | 'streak' | 'settleSec' | 'maxTimeSec'>, rawOutput = ''): Serving {
  if (log.endReason === 'streak') return { ok: true, words: `${o.streak} answers in a row from ${o.version}` };
  const s = summarizeTraffic(log.records, nonce, { offsetMs: 0, origin: log.startedAt ?? 0, slowSec: o.maxTimeSec });
  const answered = Object.entries(s.versions)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  const ran = log.startedAt !== undefined && log.endedAt !== undefined ? `${((log.endedAt - log.startedAt) / 1000).toFixed(1)}s` : `${o.settleSec}s`;
  const late = s.slow > 0 ? ` (${s.slow} of them after more than ${o.maxTimeSec}s)` : '';
  const tail = log.records
    .slice(-3)
    .map((r) => {
      const a = readAnswer(r, nonce);
      return a.ok ? `${a.version} from ${a.pod}` : a.words;
    })
    .join(' | ');
  const none = log.records.length === 0 ? ` (loop output: ${rawOutput.slice(0, 120) || 'none'})` : '';
  return {
    ok: false,
    words: `in ${ran} of requests (${log.records.length}, no ${o.streak} in a row from ${o.version}): ${answered || 'no answer'}${late}${s.failed ? `, ${failuresText(s.failures)}` : ''}${none}${tail ? `; last: ${tail}` : ''}`,
  };
}
