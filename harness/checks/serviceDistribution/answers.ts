// One connection, one request: a `/shell` request whose command prints the
// request's own echo message (run nonce, worker, request number) and the
// serving pod's hostname, so a single answer proves both who answered and that
// it answered this request. Pure: the URL, and the tally of what came back.
import { curlFailure, type CurlOutput } from '../common/probe-curl.ts';
import { echoMessage, quoteAnswer } from '../common/probe-echo.ts';

/** Path of the request number {n} of worker `worker` (curlScript fills {n}). */
export function answerPath(nonce: string, worker: string): string {
  const cmd = `echo ${echoMessage(nonce, worker, '{n}')}; cat /etc/hostname`;
  return `/shell?cmd=${encodeURIComponent(cmd).replaceAll('%7Bn%7D', '{n}')}`;
}

export interface Tally {
  /** Valid answers per endpoint (every endpoint present, 0 when silent). */
  counts: Map<string, number>;
  /** Requests that got no usable HTTP answer, grouped by what happened. */
  failed: Map<string, number>;
  /** Answers that were not a valid echo from one of the endpoints, grouped by problem. */
  invalid: Map<string, number>;
  /** Requests made (tries seen in the output). */
  made: number;
  /** Valid answers that took longer than `lateMs` (late, not lost), and the slowest, ms. */
  late?: number;
  slowestMs?: number;
}

export function tallyAnswers(outputs: CurlOutput[], opts: { nonce: string; endpoints: string[]; lateMs?: number }): Tally {
  const counts = new Map(opts.endpoints.map((e) => [e, 0]));
  const failed = new Map<string, number>();
  const invalid = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let made = 0;
  let late = 0;
  let slowestMs = 0;
  for (const out of outputs) {
    for (const t of out.tries) {
      made++;
      const tr = t.transfers[0];
      if (t.exitCode !== 0 || !tr) {
        // A timeout says which side it was on: never connected, or connected and not answered.
        const words = t.exitCode === 28 && tr ? (tr.connectMs > 0 ? 'no answer after connecting' : 'connect timeout') : curlFailure(t.exitCode, t.error).words.replace(/ \(.*\)$/, '');
        bump(failed, words);
        continue;
      }
      if (tr.httpCode !== 200) {
        bump(failed, `HTTP ${tr.httpCode}`);
        continue;
      }
      const verdict = judgeAnswer(tr.body, echoMessage(opts.nonce, t.job, t.n), counts);
      if ('endpoint' in verdict) {
        bump(counts, verdict.endpoint);
        slowestMs = Math.max(slowestMs, tr.totalMs);
        if (opts.lateMs !== undefined && tr.totalMs > opts.lateMs) late++;
      } else bump(invalid, verdict.problem);
    }
  }
  return { counts, failed, invalid, made, late, slowestMs };
}

/** Which endpoint answered, or what is wrong with the answer. */
export function judgeAnswer(body: string, expectedEcho: string, endpoints: Map<string, number>): { endpoint: string } | { problem: string } {
  let output: unknown;
  try {
    output = (JSON.parse(body) as { output?: unknown }).output;
  } catch {
    return { problem: `not a netexec /shell answer: ${quoteAnswer(body, 40)}` };
  }
  if (typeof output !== 'string') return { problem: `no output in the answer: ${quoteAnswer(body, 40)}` };
  const [echo = '', host = ''] = output.split('\n').map((l) => l.trim());
  if (echo !== expectedEcho) return { problem: `echo mismatch: the answer did not carry this request's nonce message` };
  if (!endpoints.has(host)) return { problem: `answer from ${quoteAnswer(host, 40)}, not one of the endpoints` };
  return { endpoint: host };
}
