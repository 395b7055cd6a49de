// Probing targets from a client pod in rounds: every target gets one try per
// round; targets that failed are tried again in the next round until all pass
// or `settleMs` is over. kube-proxy programs a node a moment after the Service
// and its endpoints exist, and that moment cannot be watched: the rounds are
// the bounded wait for it (a refused or dropped first try is not a verdict).
import { pause, realClock } from '../../kube/clock.ts';
import type { CheckContext } from '../types.ts';
import { curlScript, parseCurlOutput, type CurlJob, type CurlTry } from '../common/probe-curl.ts';
import { execScript } from '../common/probe-workload.ts';

const ROUND_PAUSE_MS = 1_000;

export interface RoundTarget {
  /** [a-z0-9-]: the curl job id. */
  id: string;
  urls(round: number): string[];
  /** The round is in the URLs (echo messages differ per round), so the judge gets it too. */
  judge(t: CurlTry | undefined, round: number): string | undefined;
}

export interface RoundResult {
  ok: boolean;
  /** The last problem seen (kept for a target that passed later, as history). */
  problem?: string;
  tries: number;
  /** Time from the first round to the passing try. */
  passedAfterMs?: number;
}

export async function probeRounds(ctx: CheckContext, client: string, targets: RoundTarget[], opts: { settleMs: number; maxTimeSec: number }): Promise<Map<string, RoundResult>> {
  const results = new Map<string, RoundResult>(targets.map((t) => [t.id, { ok: false, tries: 0 }]));
  const start = Date.now();
  const end = start + opts.settleMs;
  for (let round = 1; ; round++) {
    const pending = targets.filter((t) => !results.get(t.id)!.ok);
    if (pending.length === 0) break;
    const jobs: CurlJob[] = pending.map((t) => ({ id: t.id, urls: t.urls(round), count: 1 }));
    const transfers = Math.max(...jobs.map((j) => j.urls.length));
    const res = await execScript(ctx, client, curlScript({ jobs, stopOnSuccess: true, maxTimeSec: opts.maxTimeSec }), (Math.ceil(opts.maxTimeSec) * transfers + 1) * 1000 + 15_000);
    const out = parseCurlOutput(res.stdout + (res.stderr ? `\n${res.stderr}` : ''));
    for (const t of pending) {
      const r = results.get(t.id)!;
      r.tries++;
      const problem = t.judge(out.tries.find((x) => x.job === t.id), round);
      if (problem) r.problem = problem;
      else {
        r.ok = true;
        r.passedAfterMs = Date.now() - start;
      }
    }
    if (Date.now() + ROUND_PAUSE_MS >= end || ctx.signal.aborted) break;
    if (targets.every((t) => results.get(t.id)!.ok)) break;
    await pause(realClock, ROUND_PAUSE_MS, ctx.signal);
  }
  return results;
}
