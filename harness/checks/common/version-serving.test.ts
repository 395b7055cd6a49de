// judgeServing turns the serving loop's log into a verdict and words; the loop
// itself is run for real in traffic.test.ts.
import { describe, expect, it } from 'vitest';
import type { TrafficLog, TrafficRecord } from './traffic.ts';
import { judgeServing } from './version-serving.ts';

const nonce = 'n1';
const answer = (i: number, version: string, totalSec = 0.01): TrafficRecord => ({ i, t: 1_000 + i * 100, exit: 0, code: 200, connectSec: 0.001, totalSec, body: JSON.stringify({ output: `kconform-${nonce}-${i} ${version} web-${version}\n` }) });
const lateLoss = (i: number): TrafficRecord => ({ i, t: 1_000 + i * 100, exit: 28, code: 0, connectSec: 0.002, totalSec: 5, body: '' });
const noConnect = (i: number): TrafficRecord => ({ i, t: 1_000 + i * 100, exit: 28, code: 0, connectSec: 0, totalSec: 1, body: '' });
const log = (records: TrafficRecord[], endReason: string): TrafficLog => ({ startedAt: 1_000, endedAt: 11_000, endReason, resolution: 'ms', records, stray: [] });
const o = { version: 'v2', streak: 3, settleSec: 10, maxTimeSec: 1 };

describe('judgeServing', () => {
  it('passes on a streak', () => {
    expect(judgeServing(log([answer(1, 'v2'), answer(2, 'v2'), answer(3, 'v2')], 'streak'), nonce, o)).toEqual({ ok: true, words: '3 answers in a row from v2' });
  });
  it('fails when the old version still answers, naming versions, counts and the last requests', () => {
    const r = judgeServing(log([answer(1, 'v2'), answer(2, 'v1'), answer(3, 'v2'), answer(4, 'v1')], 'duration'), nonce, o);
    expect(r.ok).toBe(false);
    expect(r.words).toBe('in 10.0s of requests (4, no 3 in a row from v2): v2 2, v1 2; last: v1 from web-v1 | v2 from web-v2 | v1 from web-v1');
  });
  it('tells a stale endpoint (no connection) from a connection that got no answer, and counts late answers', () => {
    const r = judgeServing(log([answer(1, 'v2', 2.5), noConnect(2), lateLoss(3)], 'duration'), nonce, o);
    expect(r.ok).toBe(false);
    expect(r.words).toContain('v2 1 (1 of them after more than 1s), 1 connect timeout, 1 no answer');
    expect(r.words).toContain('last: v2 from web-v2 | no connection within 1.00s | connected in 0.00s, then no answer within 5.00s');
  });
  it('says what the pod printed when the loop logged nothing', () => {
    const r = judgeServing({ records: [], stray: [] }, nonce, o, 'sh: curl: not found');
    expect(r.words).toBe('in 10s of requests (0, no 3 in a row from v2): no answer (loop output: sh: curl: not found)');
  });
});
