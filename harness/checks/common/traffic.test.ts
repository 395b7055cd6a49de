// The traffic loop runs for real here (bash, and dash for plain-sh images)
// against a netexec look-alike on the loopback that answers /shell like the
// versioned probe; its log is read back and judged with version-probe.ts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrafficLog, startScript, stopScript, trafficLoop } from './traffic.ts';
import { lateText, readAnswer, summarizeTraffic, versionUrl } from './version-probe.ts';

const run = promisify(execFile);
const has = (cmd: string) => run('sh', ['-c', `command -v ${cmd}`]).then(() => true, () => false);
const hasCurl = await has('curl');
const shells = (await Promise.all(['bash', 'dash'].map(async (s) => ((await has(s)) ? [s] : [])))).flat();

/** /shell?cmd=echo <msg> $VERSION $POD_NAME, answered as netexec would with VERSION=v1, POD_NAME=web-1. */
function versionServer(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^echo (\S+) \$VERSION \$POD_NAME$/.exec(url.searchParams.get('cmd') ?? '');
    if (url.pathname !== '/shell' || !m) {
      res.statusCode = 404;
      return res.end('404 page not found');
    }
    res.end(JSON.stringify({ output: `${m[1]} v1 web-1\n` }));
  });
}

let server: Server;
let port = 0;
beforeAll(async () => {
  server = versionServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe.skipIf(!hasCurl)('trafficLoop, run for real', () => {
  for (const shell of shells) {
    it(`${shell}: logs every request with time, curl exit, status and answer`, async () => {
      const nonce = 'abc123';
      const id = `t-${randomBytes(3).toString('hex')}`;
      const { stdout } = await run(shell, ['-c', trafficLoop({ id, url: versionUrl('127.0.0.1', port, nonce), intervalMs: 50, maxTimeSec: 1, durationSec: 2 })]);
      const log = parseTrafficLog(stdout);
      expect(log.resolution).toBe(shell === 'bash' ? 'ms' : 's');
      expect(log.endReason).toBe('duration');
      expect(log.stray).toEqual([]);
      expect(log.records.length).toBeGreaterThan(3);
      expect(log.records.map((r) => r.i)).toEqual(log.records.map((_, k) => k + 1));
      expect(log.records.every((r) => r.t >= log.startedAt! && r.t <= log.endedAt!)).toBe(true);
      expect(readAnswer(log.records[2]!, nonce)).toEqual({ ok: true, version: 'v1', pod: 'web-1' });
      // The same answers judged against another run's nonce are echo mismatches.
      expect(readAnswer(log.records[0]!, 'other')).toMatchObject({ ok: false, label: 'bad echo' });
    });
  }

  it('waits answerSlackSec beyond the connect limit for a late answer, and logs how long it took', async () => {
    const slow = createServer((req, res) => {
      const m = /echo%20(\S+?)%20/.exec(req.url ?? '');
      setTimeout(() => res.end(JSON.stringify({ output: `${decodeURIComponent(m?.[1] ?? '')} v1 web-1\n` })), 1_300);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const p = (slow.address() as AddressInfo).port;
    try {
      const url = versionUrl('127.0.0.1', p, 'n');
      const late = parseTrafficLog((await run('sh', ['-c', trafficLoop({ id: 'late', url, intervalMs: 100, maxTimeSec: 1, answerSlackSec: 2, durationSec: 1 })])).stdout);
      expect(late.records[0]).toMatchObject({ exit: 0, code: 200 });
      expect(late.records[0]!.connectSec).toBeGreaterThan(0);
      expect(late.records[0]!.totalSec).toBeGreaterThan(1.2);
      expect(summarizeTraffic(late.records, 'n', { offsetMs: 0, origin: 0, slowSec: 1 })).toMatchObject({ failed: 0, slow: late.records.length });
      // Without the slack the same answer is a failure, and says it was connected.
      const cut = parseTrafficLog((await run('sh', ['-c', trafficLoop({ id: 'cut', url, intervalMs: 100, maxTimeSec: 1, durationSec: 1 })])).stdout);
      expect(readAnswer(cut.records[0]!, 'n')).toMatchObject({ ok: false, label: 'no answer' });
    } finally {
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });

  it('logs refused connections as curl exit 7 with no status', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const dead = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { stdout } = await run('sh', ['-c', trafficLoop({ id: 'dead', url: versionUrl('127.0.0.1', dead, 'n'), intervalMs: 200, maxTimeSec: 1, durationSec: 1 })]);
    const log = parseTrafficLog(stdout);
    expect(log.records.length).toBeGreaterThan(0);
    expect(log.records[0]).toMatchObject({ exit: 7, code: 0, body: '' });
    expect(readAnswer(log.records[0]!, 'n')).toEqual({ ok: false, label: 'no connect', words: 'could not connect' });
  });

  it('starts detached, keeps running, and stops when asked', async () => {
    const id = `s-${randomBytes(3).toString('hex')}`;
    const opts = { id, url: versionUrl('127.0.0.1', port, 'n'), intervalMs: 50, maxTimeSec: 1, durationSec: 30 };
    const t0 = Date.now();
    const started = await run('sh', ['-c', startScript(opts)]);
    // The start exec returns at once, not after the loop's 30 s.
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(parseTrafficLog(started.stdout).startedAt).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 400));
    const stopped = await run('sh', ['-c', stopScript(id, 3)]);
    const log = parseTrafficLog(stopped.stdout);
    expect(log.endReason).toBe('stop');
    expect(log.records.length).toBeGreaterThan(1);
    expect(summarizeTraffic(log.records, 'n', { offsetMs: 0, origin: log.startedAt! })).toMatchObject({ failed: 0, versions: { v1: log.records.length } });
    await run('rm', ['-rf', `/tmp/kc-traffic-${id}`]);
  });
});

describe('parseTrafficLog', () => {
  it('reads start, requests, end, and keeps stray lines', () => {
    const log = parseTrafficLog(
      ['@@kt start 1000 ms', '@@kt r 1 1000 0 200 {"output":"x v1 p\\n"}', '@@kt r 2 1100 28 000 ', 'sh: oops', '@@kt end 1200 stop', ''].join('\n'),
    );
    expect(log).toEqual({
      startedAt: 1000,
      resolution: 'ms',
      endedAt: 1200,
      endReason: 'stop',
      records: [
        { i: 1, t: 1000, exit: 0, code: 200, body: '{"output":"x v1 p\\n"}' },
        { i: 2, t: 1100, exit: 28, code: 0, body: '' },
      ],
      stray: ['sh: oops'],
    });
  });
  it("reads curl's connect and total times, and tells a connect timeout from a late answer", () => {
    const log = parseTrafficLog(['@@kt r 1 1000 0 200 0.000321 1.804 {"output":"kconform-x-1 v1 p\\n"}', '@@kt r 2 1100 28 000 0,000000 1,001', '@@kt r 3 1200 28 000 0.000410 5.002 '].join('\n'));
    expect(log.records.map((r) => [r.connectSec, r.totalSec])).toEqual([
      [0.000321, 1.804],
      [0, 1.001],
      [0.00041, 5.002],
    ]);
    expect(log.records[0]!.body).toBe('{"output":"kconform-x-1 v1 p\\n"}');
    expect(readAnswer(log.records[1]!, 'x')).toEqual({ ok: false, label: 'connect timeout', words: 'no connection within 1.00s' });
    expect(readAnswer(log.records[2]!, 'x')).toEqual({ ok: false, label: 'no answer', words: 'connected in 0.00s, then no answer within 5.00s' });
    const s = summarizeTraffic(log.records, 'x', { offsetMs: 0, origin: 1000, slowSec: 1 });
    expect(s).toMatchObject({ ok: 1, slow: 1, failed: 2, failures: { 'connect timeout': 1, 'no answer': 1 } });
    expect(lateText(s, 1)).toBe(' (1 answered after more than 1.00s, slowest 1.80s: late, not lost)');
  });
  it('refuses an id or URL that would break the script', () => {
    expect(() => trafficLoop({ id: 'a b', url: 'http://x/', intervalMs: 1, maxTimeSec: 1, durationSec: 1 })).toThrow(/bad id/);
    expect(() => trafficLoop({ id: 'ok', url: "http://x/'; rm -rf /", intervalMs: 1, maxTimeSec: 1, durationSec: 1 })).toThrow(/unsafe URL/);
  });
});

describe.skipIf(!hasCurl)('trafficLoop untilStreak', () => {
  it('ends after N answers in a row containing the text', async () => {
    const url = versionUrl('127.0.0.1', port, 'n');
    const { stdout } = await run('sh', ['-c', trafficLoop({ id: 'streak', url, intervalMs: 10, maxTimeSec: 1, durationSec: 5, untilStreak: { contains: ' v1 ', count: 4 } })]);
    const log = parseTrafficLog(stdout);
    expect(log.endReason).toBe('streak');
    expect(log.records).toHaveLength(4);
  });
  it('runs to its duration when the text never shows', async () => {
    const url = versionUrl('127.0.0.1', port, 'n');
    const { stdout } = await run('sh', ['-c', trafficLoop({ id: 'streak2', url, intervalMs: 100, maxTimeSec: 1, durationSec: 1, untilStreak: { contains: ' v2 ', count: 2 } })]);
    expect(parseTrafficLog(stdout).endReason).toBe('duration');
  });
  describe.skipIf(!shells.includes('bash'))('graceSec (bash, ms clock)', () => {
    // Answers take 700 ms: 3 in a row do not fit in 1 s.
    let slow: Server;
    let slowPort = 0;
    beforeAll(async () => {
      const inner = versionServer();
      slow = createServer((req, res) => void setTimeout(() => inner.emit('request', req, res), 700));
      await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
      slowPort = (slow.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => slow.close(() => r())));
    const loop = (id: string, contains: string, graceSec?: number) =>
      run('bash', ['-c', trafficLoop({ id, url: versionUrl('127.0.0.1', slowPort, 'n'), intervalMs: 10, maxTimeSec: 1, answerSlackSec: 2, durationSec: 1, untilStreak: { contains, count: 3, graceSec } })]).then((r) => parseTrafficLog(r.stdout));
    it('without grace, a slow streak is cut at the duration', async () => {
      const log = await loop('grace0', ' v1 ');
      expect(log.endReason).toBe('duration');
      expect(log.records.length).toBeLessThan(3);
    });
    it('with grace, a streak under way at the duration may finish', async () => {
      const log = await loop('grace1', ' v1 ', 5);
      expect(log.endReason).toBe('streak');
      expect(log.records).toHaveLength(3);
    });
    it('grace does not extend a loop whose answers are not the wanted ones', async () => {
      const log = await loop('grace2', ' v2 ', 5);
      expect(log.endReason).toBe('duration');
      expect(log.endedAt! - log.startedAt!).toBeLessThan(2_500);
    });
  });
});

describe.skipIf(!hasCurl || !shells.includes('bash'))('trafficLoop pacing', () => {
  it('never goes above 1000/intervalMs per second, pacing by request starts (bash, ms clock)', async () => {
    const { stdout } = await run('bash', ['-c', trafficLoop({ id: 'pace', url: versionUrl('127.0.0.1', port, 'n'), intervalMs: 100, maxTimeSec: 1, durationSec: 2 })]);
    const log = parseTrafficLog(stdout);
    // How many fit depends on how fast curl starts on this machine; never more than the rate allows.
    expect(log.records.length).toBeGreaterThanOrEqual(2);
    expect(log.records.length).toBeLessThanOrEqual(21);
    const gaps = log.records.slice(1).map((r, k) => r.t - log.records[k]!.t);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
  });
});
