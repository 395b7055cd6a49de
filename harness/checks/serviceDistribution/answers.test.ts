import { describe, expect, it } from 'vitest';
import type { CurlOutput, CurlTry } from '../common/probe-curl.ts';
import { echoMessage } from '../common/probe-echo.ts';
import { answerPath, judgeAnswer, tallyAnswers } from './answers.ts';

const NONCE = 'abc123';
const ENDPOINTS = ['sd-0', 'sd-1', 'sd-2'];

function answer(job: string, n: number, host: string, echo = echoMessage(NONCE, job, n)): CurlTry {
  const body = JSON.stringify({ output: `${echo}\n${host}\n` });
  return { job, n, exitCode: 0, transfers: [{ body, httpCode: 200, connectMs: 0.2, totalMs: 1, localIp: '10.244.1.7', localPort: 50_000 + n, exitCode: 0 }] };
}
const out = (tries: CurlTry[]): CurlOutput => ({ tries, addresses: [], stray: [] });

describe('answerPath', () => {
  it('asks /shell to print this request\'s echo message and the pod hostname, URL-encoded, {n} left for the script', () => {
    const p = answerPath(NONCE, 'w0');
    expect(p).toBe('/shell?cmd=echo%20kconform-abc123-w0-{n}%3B%20cat%20%2Fetc%2Fhostname');
    expect(decodeURIComponent(p.replace('{n}', '7').split('cmd=')[1]!)).toBe('echo kconform-abc123-w0-7; cat /etc/hostname');
  });
});

describe('tallyAnswers', () => {
  it('counts valid answers per endpoint, zero for the silent ones', () => {
    const t = tallyAnswers([out([answer('w0', 1, 'sd-0'), answer('w0', 2, 'sd-1'), answer('w1', 1, 'sd-0')])], { nonce: NONCE, endpoints: ENDPOINTS });
    expect(Object.fromEntries(t.counts)).toEqual({ 'sd-0': 2, 'sd-1': 1, 'sd-2': 0 });
    expect(t.made).toBe(3);
    expect(t.failed.size + t.invalid.size).toBe(0);
  });

  it('counts nothing for a stub that answers "ok" to everything', () => {
    const stub: CurlTry[] = [1, 2, 3].map((n) => ({ job: 'w0', n, exitCode: 0, transfers: [{ body: 'ok', httpCode: 200, connectMs: 0, totalMs: 1, localIp: '', localPort: 0 }] }));
    const t = tallyAnswers([out(stub)], { nonce: NONCE, endpoints: ENDPOINTS });
    expect([...t.counts.values()]).toEqual([0, 0, 0]);
    expect(Object.fromEntries(t.invalid)).toEqual({ 'not a netexec /shell answer: "ok"': 3 });
  });

  it('names answers from strangers, echoes of other requests, failures and HTTP errors', () => {
    const tries: CurlTry[] = [
      answer('w0', 1, 'intruder-7'),
      answer('w0', 2, 'sd-1', echoMessage(NONCE, 'w0', 1)),
      answer('w0', 3, 'sd-1', echoMessage('other-run', 'w0', 3)),
      { job: 'w1', n: 1, exitCode: 7, transfers: [], error: 'curl: (7) Failed to connect to 10.96.4.4 port 80 after 1 ms: Connection refused' },
      { job: 'w1', n: 2, exitCode: 28, transfers: [], error: 'curl: (28) Connection timed out' },
      { job: 'w1', n: 3, exitCode: 0, transfers: [{ body: '{}', httpCode: 503, connectMs: 0, totalMs: 1, localIp: '', localPort: 0 }] },
    ];
    const t = tallyAnswers([out(tries)], { nonce: NONCE, endpoints: ENDPOINTS });
    expect([...t.counts.values()]).toEqual([0, 0, 0]);
    expect(Object.fromEntries(t.invalid)).toEqual({
      'answer from "intruder-7", not one of the endpoints': 1,
      "echo mismatch: the answer did not carry this request's nonce message": 2,
    });
    expect(Object.fromEntries(t.failed)).toEqual({ 'could not connect': 1, timeout: 1, 'HTTP 503': 1 });
    expect(t.made).toBe(6);
  });

  it('tells a connect timeout from a connection that got no answer, and counts late answers apart', () => {
    const timedOut = (n: number, connectMs: number): CurlTry => ({ job: 'w2', n, exitCode: 28, transfers: [{ body: '', httpCode: 0, connectMs, totalMs: 6000, localIp: '', localPort: 0 }] });
    const slow = answer('w2', 3, 'sd-2');
    slow.transfers[0]!.totalMs = 2400;
    const t = tallyAnswers([out([timedOut(1, 0), timedOut(2, 0.4), slow, answer('w2', 4, 'sd-0')])], { nonce: NONCE, endpoints: ENDPOINTS, lateMs: 2000 });
    expect(Object.fromEntries(t.failed)).toEqual({ 'connect timeout': 1, 'no answer after connecting': 1 });
    expect(Object.fromEntries(t.counts)).toEqual({ 'sd-0': 1, 'sd-1': 0, 'sd-2': 1 });
    expect(t).toMatchObject({ late: 1, slowestMs: 2400 });
  });

  it('judges one answer', () => {
    const eps = new Map(ENDPOINTS.map((e) => [e, 0]));
    expect(judgeAnswer(JSON.stringify({ output: 'm\nsd-2\n' }), 'm', eps)).toEqual({ endpoint: 'sd-2' });
    expect(judgeAnswer(JSON.stringify({ error: 'exit status 1' }), 'm', eps)).toEqual({ problem: 'no output in the answer: "{\\"error\\":\\"exit status 1\\"}"' });
  });
});
