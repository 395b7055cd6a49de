// "Does the Service serve version X now?": a short synchronous request loop in
// the client pod that ends after `streak` answers from X in a row (kube-proxy
// may take a moment to forget the old pods), or after `settleSec`.
import type { CheckContext } from '../types.ts';
import { parseTrafficLog, trafficLoop } from './traffic.ts';
import { failuresText, summarizeTraffic } from './version-probe.ts';

export interface Serving {
  ok: boolean;
  words: string;
}

export async function verifyServing(
  ctx: CheckContext,
  o: { client: string; url: string; version: string; streak: number; settleSec: number; maxTimeSec: number },
): Promise<Serving> {
  const loop = trafficLoop({
    id: `serve-${o.version.toLowerCase().replace(/[^a-z0-9-]/g, '')}`,
    url: o.url,
    intervalMs: 50,
    maxTimeSec: o.maxTimeSec,
    durationSec: o.settleSec,
    untilStreak: { contains: ` ${o.version} `, count: o.streak },
  });
  const res = await ctx.kube.exec({ namespace: ctx.namespace, name: o.client }, ['sh', '-c', `if command -v bash >/dev/null 2>&1; then exec bash -c "$0"; else exec sh -c "$0"; fi`, loop], {
    timeoutMs: (o.settleSec + o.maxTimeSec + 20) * 1000,
    signal: ctx.signal,
  });
  const log = parseTrafficLog(res.stdout);
  if (log.endReason === 'streak') return { ok: true, words: `${o.streak} answers in a row from ${o.version}` };
  const s = summarizeTraffic(log.records, ctx.nonce, { offsetMs: 0, origin: log.startedAt ?? 0 });
  const answered = Object.entries(s.versions)
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
  const tail = log.records.slice(-3).map((r) => r.body || `curl exit ${r.exit}`).join(' | ');
  return {
    ok: false,
    words: `in ${o.settleSec}s of requests: ${answered || 'no answer'}${s.failed ? `, ${failuresText(s.failures)}` : ''}${log.records.length === 0 ? ` (loop output: ${(res.stdout + res.stderr).trim().slice(0, 120) || 'none'})` : ''}${tail ? `; last: ${tail}` : ''}`,
  };
}
