import { describe, expect, it } from 'vitest';
import { readAnswer, summarizeTraffic, versionedPodTemplate, versionOf, versionUrl } from './version-probe.ts';

const rec = (i: number, t: number, body: string, exit = 0, code = 200) => ({ i, t, exit, code, body });
const ans = (nonce: string, i: number, v: string, pod: string) => JSON.stringify({ output: `kconform-${nonce}-${i} ${v} ${pod}\n` });

describe('versionUrl', () => {
  it('asks the server to echo the nonce and request number with its version and pod', () => {
    expect(versionUrl('10.96.0.7', 80, 'n1')).toBe('http://10.96.0.7:80/shell?cmd=echo%20kconform-n1-{i}%20%24VERSION%20%24POD_NAME');
  });
});

describe('readAnswer', () => {
  it('accepts an answer naming version and pod with the right echo', () => {
    expect(readAnswer(rec(4, 0, ans('n', 4, 'v2', 'web-x')), 'n')).toEqual({ ok: true, version: 'v2', pod: 'web-x' });
  });
  it('rejects a stub answering "ok", another request\'s echo, HTTP errors and curl failures', () => {
    expect(readAnswer(rec(1, 0, 'ok'), 'n')).toMatchObject({ ok: false, label: 'invalid' });
    expect(readAnswer(rec(1, 0, ans('n', 2, 'v1', 'p')), 'n')).toMatchObject({ ok: false, label: 'bad echo' });
    expect(readAnswer(rec(1, 0, 'busy', 0, 503), 'n')).toEqual({ ok: false, label: 'HTTP 503', words: 'HTTP 503 "busy"' });
    expect(readAnswer(rec(1, 0, '', 28, 0), 'n')).toEqual({ ok: false, label: 'timeout', words: 'timeout' });
  });
});

describe('summarizeTraffic', () => {
  it('counts per version and per second on the harness clock, within [from, to)', () => {
    const records = [rec(1, 100, ans('n', 1, 'v1', 'a')), rec(2, 600, ans('n', 2, 'v1', 'a')), rec(3, 1200, '', 7, 0), rec(4, 2100, ans('n', 4, 'v2', 'b')), rec(5, 3500, ans('n', 5, 'v2', 'b'))];
    const s = summarizeTraffic(records, 'n', { offsetMs: 1000, origin: 1000, to: 4000 });
    expect(s).toMatchObject({ total: 4, ok: 3, failed: 1, failures: { 'no connect': 1 }, versions: { v1: 2, v2: 1 }, pods: { a: 2, b: 1 } });
    expect(s.firstFailures).toEqual(['#3 at +1.2s: could not connect']);
    expect(s.buckets).toEqual([
      { second: 0, ok: 2, failed: 0, versions: { v1: 2 } },
      { second: 1, ok: 0, failed: 1, versions: {} },
      { second: 2, ok: 1, failed: 0, versions: { v2: 1 } },
    ]);
  });
});

describe('versionedPodTemplate', () => {
  const base = { version: 'v2', image: 'agnhost', labels: { app: 'x' }, startDelaySec: 0, preStopSec: 3 };
  it('puts the version in the env, a preStop pause and an honest readiness probe', () => {
    const t = versionedPodTemplate({ ...base, readiness: 'http' });
    expect(versionOf(t.spec as never)).toBe('v2');
    const c = (t.spec['containers'] as Record<string, unknown>[])[0]!;
    expect(c['readinessProbe']).toMatchObject({ httpGet: { path: '/hostname', port: 8080 } });
    expect(c['lifecycle']).toEqual({ preStop: { exec: { command: ['sleep', '3'] } } });
    expect(t.spec['terminationGracePeriodSeconds']).toBe(8);
  });
  it('lies with readiness "always", never gets Ready with "never", and delays the server with startDelay', () => {
    const lying = versionedPodTemplate({ ...base, readiness: 'always', startDelaySec: 5 });
    const c = (lying.spec['containers'] as Record<string, unknown>[])[0]!;
    expect(c['readinessProbe']).toMatchObject({ exec: { command: ['true'] } });
    expect(c['command']).toEqual(['sh', '-c', 'sleep 5; exec /agnhost netexec --http-port=8080']);
    const never = versionedPodTemplate({ ...base, readiness: 'never' });
    expect((never.spec['containers'] as Record<string, unknown>[])[0]!['readinessProbe']).toMatchObject({ httpGet: { port: 8081 } });
  });
});
