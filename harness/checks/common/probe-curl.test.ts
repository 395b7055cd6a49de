// The probe script is run for real here: /bin/sh + curl against servers on the
// loopback (a netexec look-alike, a stub answering "ok", a server that never
// answers, a closed port), and its output read back with the parser.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlFailure, curlScript, httpUrl, parseCurlOutput } from './probe-curl.ts';
import { echoMessage, echoProblem, parseHostPort } from './probe-echo.ts';

const run = promisify(execFile);
const works = (cmd: string, args: string[]) => run(cmd, args).then(() => true, () => false);
const hasCurl = await works('sh', ['-c', 'command -v curl']);
// The probe images run the script with dash (Debian-based offline build) or
// busybox ash (the upstream Alpine-based agnhost): try each one found here.
const SHELLS: [string, string[]][] = (
  await Promise.all(
    ([['sh', []], ['busybox', ['sh']]] as [string, string[]][]).map(async ([cmd, pre]) => ((await works(cmd, [...pre, '-c', 'true'])) ? [[cmd, pre] as [string, string[]]] : [])),
  )
).flat();

/** Answers like agnhost netexec: /echo, /clientip, /hostname, /shell (echo + hostname only). */
function netexecLike(hostname: string): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/echo') return res.end(url.searchParams.get('msg') ?? '');
    if (url.pathname === '/clientip') return res.end(`${req.socket.remoteAddress}:${req.socket.remotePort}`);
    if (url.pathname === '/hostname') return res.end(hostname);
    if (url.pathname === '/shell') {
      const echoed = /^echo (\S+); cat \/etc\/hostname$/.exec(url.searchParams.get('cmd') ?? '')?.[1] ?? '';
      return res.end(JSON.stringify({ output: `${echoed}\n${hostname}\n` }));
    }
    res.statusCode = 404;
    res.end('404 page not found');
  });
}

const stub = () => createServer((_req, res) => res.end('ok'));
const silent = () => createServer(() => {}); // accepts, never answers

async function listen(s: Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
let good = 0;
let ok = 0;
let hang = 0;
let closed = 0;

beforeAll(async () => {
  const all = [netexecLike('srv-a'), stub(), silent()];
  for (const s of all) s.on('connection', (c) => sockets.add(c));
  servers.push(...all);
  [good, ok, hang] = await Promise.all(all.map(listen)) as [number, number, number];
  const tmp = createServer();
  closed = await listen(tmp);
  await new Promise((r) => tmp.close(r));
});

afterAll(async () => {
  for (const c of sockets) c.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

let shell: [string, string[]] = ['sh', []];
async function sh(script: string) {
  const { stdout, stderr } = await run(shell[0], [...shell[1], '-c', script], { timeout: 30_000 });
  return parseCurlOutput(`${stdout}\n${stderr}`);
}

const urls = (port: number, msg: string) => [httpUrl('127.0.0.1', port, `/echo?msg=${msg}`), httpUrl('127.0.0.1', port, '/clientip'), httpUrl('127.0.0.1', port, '/hostname')];

describe.skipIf(!hasCurl).each(SHELLS.map(([cmd, pre]) => [[cmd, ...pre].join(' '), cmd, pre] as const))('curlScript run by %s + curl', (_label, cmd, pre) => {
  beforeAll(() => {
    shell = [cmd, [...pre]];
  });

  it('reads back echo, client address and hostname from a netexec-like server; retries a closed port', async () => {
    const msg = (id: string) => echoMessage('n0nce', id, '{n}');
    const out = await sh(
      curlScript({
        jobs: [
          { id: 's0', urls: urls(good, msg('s0')), count: 3 },
          { id: 's1', urls: urls(ok, msg('s1')), count: 3 },
          { id: 's2', urls: urls(closed, msg('s2')), count: 2 },
        ],
        stopOnSuccess: true,
        maxTimeSec: 2,
      }),
    );
    const byJob = (id: string) => out.tries.filter((t) => t.job === id);

    const [t0] = byJob('s0');
    expect(byJob('s0')).toHaveLength(1);
    expect(t0!.exitCode).toBe(0);
    expect(t0!.transfers.map((t) => t.httpCode)).toEqual([200, 200, 200]);
    expect(echoProblem(t0!.transfers[0]!.body, echoMessage('n0nce', 's0', 1))).toBeUndefined();
    const seen = parseHostPort(t0!.transfers[1]!.body);
    expect(seen).toEqual({ ip: '127.0.0.1', port: t0!.transfers[1]!.localPort });
    expect(t0!.transfers[1]!.localIp).toBe('127.0.0.1');
    expect(t0!.transfers[2]!.body).toBe('srv-a');

    // The stub answers every request, but never the message it was asked to echo.
    const [t1] = byJob('s1');
    expect(t1!.exitCode).toBe(0);
    expect(t1!.transfers.map((t) => t.body)).toEqual(['ok', 'ok', 'ok']);
    expect(echoProblem(t1!.transfers[0]!.body, echoMessage('n0nce', 's1', 1))).toMatch(/^echo mismatch: expected "kconform-n0nce-s1-1", got "ok"$/);
    expect(parseHostPort(t1!.transfers[1]!.body)).toBeUndefined();

    // A closed port: every try fails with curl 7, and --fail-early stops each try at the first URL.
    expect(byJob('s2').map((t) => [t.n, t.exitCode])).toEqual([[1, 7], [2, 7]]);
    expect(byJob('s2')[0]!.transfers).toHaveLength(1);
    expect(byJob('s2')[0]!.error).toMatch(/^curl: \(7\)/);
    expect(curlFailure(7).label).toBe('no connect');
  });

  it('times out on a server that never answers (curl 28) within --max-time', async () => {
    const t0 = Date.now();
    const out = await sh(curlScript({ jobs: [{ id: 'h', urls: [httpUrl('127.0.0.1', hang, '/hostname')], count: 1 }], stopOnSuccess: true, maxTimeSec: 1 }));
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(out.tries).toHaveLength(1);
    expect(out.tries[0]!.exitCode).toBe(28);
    expect(curlFailure(28).words).toBe('timeout');
  });

  it('waits answerSlackSec longer for a connected transfer, and its times say it connected', async () => {
    const t0 = Date.now();
    const out = await sh(curlScript({ jobs: [{ id: 'h', urls: [httpUrl('127.0.0.1', hang, '/hostname')], count: 1 }], stopOnSuccess: true, maxTimeSec: 1, answerSlackSec: 1 }));
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(6_000);
    expect(out.tries[0]!.exitCode).toBe(28);
    expect(out.tries[0]!.transfers[0]!.connectMs).toBeGreaterThan(0);
  });

  it('makes every request when not stopping on success, and numbers them', async () => {
    const out = await sh(curlScript({ jobs: [{ id: 'w0', urls: [httpUrl('127.0.0.1', good, `/echo?msg=${echoMessage('x', 'w0', '{n}')}`)], count: 5 }], stopOnSuccess: false, maxTimeSec: 2 }));
    expect(out.tries.map((t) => t.n)).toEqual([1, 2, 3, 4, 5]);
    expect(out.tries.map((t) => t.transfers[0]!.body)).toEqual([1, 2, 3, 4, 5].map((n) => echoMessage('x', 'w0', n)));
  });

  it('starts no new try after the deadline', async () => {
    const out = await sh(curlScript({ jobs: [{ id: 'w0', urls: [httpUrl('127.0.0.1', hang, '/x')], count: 50 }], stopOnSuccess: false, maxTimeSec: 1, deadlineSec: 1 }));
    expect(out.tries.length).toBeGreaterThanOrEqual(1);
    expect(out.tries.length).toBeLessThanOrEqual(3);
  });

  it('prints the host addresses when asked', async () => {
    const out = await sh(curlScript({ jobs: [{ id: 'a', urls: [httpUrl('127.0.0.1', good, '/hostname')], count: 1 }], stopOnSuccess: true, maxTimeSec: 2, hostAddresses: true }));
    const hasIp = await run('sh', ['-c', 'ip -o addr show']).then(() => true, () => false);
    if (hasIp) expect(out.addresses).toContain('127.0.0.1');
    expect(out.tries[0]!.transfers[0]!.body).toBe('srv-a');
  });
});

describe('parseCurlOutput', () => {
  it('keeps multi-line bodies, separates curl errors, and keeps a try that was cut short', () => {
    const text = [
      '@@kc begin s0 1',
      'line one',
      'line two',
      '@@kc w 200 0.001 0.002500 10.244.1.5 40000 0',
      'curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received',
      '',
      '@@kc w 000 0.000 2.001  0 28',
      '@@kc end s0 1 28',
      '@@kc begin s0 2',
      'partial',
    ].join('\n');
    const out = parseCurlOutput(text);
    expect(out.tries).toHaveLength(2);
    expect(out.tries[0]!.transfers[0]).toEqual({ body: 'line one\nline two', httpCode: 200, connectMs: 1, totalMs: 2.5, localIp: '10.244.1.5', localPort: 40000, exitCode: 0 });
    expect(out.tries[0]!.transfers[1]).toMatchObject({ body: '', httpCode: 0, localIp: '', exitCode: 28 });
    expect(out.tries[0]!.error).toMatch(/^curl: \(28\)/);
    expect(out.tries[1]).toMatchObject({ n: 2, exitCode: -1, transfers: [] });
    expect(curlFailure(-1).label).toBe('cut short');
  });

  it('reports lines outside any try (a missing curl) as stray', () => {
    const out = parseCurlOutput('sh: 1: curl: not found\n');
    expect(out.stray).toEqual(['sh: 1: curl: not found']);
  });

  it('reads addresses from ip -o addr lines', () => {
    const out = parseCurlOutput(['@@kc addrs', '1: lo    inet 127.0.0.1/8 scope host lo', '2: eth0    inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0', '3: cni0    inet6 fe80::1/64 scope link', '@@kc addrs-end'].join('\n'));
    expect(out.addresses).toEqual(['127.0.0.1', '172.18.0.3', 'fe80::1']);
  });
});

describe('curlScript', () => {
  it('refuses URLs and ids that could break out of the shell', () => {
    expect(() => curlScript({ jobs: [{ id: 'a', urls: ["http://1.2.3.4:80/x'; rm -rf /"], count: 1 }], stopOnSuccess: true, maxTimeSec: 1 })).toThrow(/unsafe URL/);
    expect(() => curlScript({ jobs: [{ id: 'a b', urls: ['http://1.2.3.4:80/x'], count: 1 }], stopOnSuccess: true, maxTimeSec: 1 })).toThrow(/bad job id/);
    expect(() => curlScript({ jobs: [], stopOnSuccess: true, maxTimeSec: 1 })).toThrow(/no jobs/);
  });

  it('brackets IPv6 hosts', () => {
    expect(httpUrl('fd00::5', 8080, '/hostname')).toBe('http://[fd00::5]:8080/hostname');
    expect(httpUrl('10.0.0.1', 80, 'x')).toBe('http://10.0.0.1:80/x');
  });
});
