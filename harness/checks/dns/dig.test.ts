import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressesOf, digCommand, parseDig, srvOf } from './dig.ts';

// Output shapes of dig 9.18 (Debian bookworm's bind9-dnsutils, the offline
// probe image) with +noall +comments +question +answer +stats; fields are tab
// separated as dig prints them. Outputs recorded on the kind testbed (dig
// 9.18.49 in the offline agnhost image, CoreDNS 1.14.6; "no-coredns" with CoreDNS
// scaled to 0) are in testdata/ and checked below.
const T = '\t';
const NOERROR_A = [
  ';; Got answer:',
  ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 52330',
  ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
  ';; WARNING: recursion requested but not available',
  '',
  ';; OPT PSEUDOSECTION:',
  '; EDNS: version: 0, flags:; udp: 1232',
  '; COOKIE: 5b0c8a6d2d6ea8a1 (echoed)',
  ';; QUESTION SECTION:',
  `;dns.kconform-network-1a2b3c.svc.cluster.local.${T}IN${T}A`,
  '',
  ';; ANSWER SECTION:',
  `dns.kconform-network-1a2b3c.svc.cluster.local. 30 IN${T}A${T}10.96.113.7`,
  '',
  ';; Query time: 0 msec',
  ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
  ';; WHEN: Tue Nov 24 10:00:00 UTC 2026',
  ';; MSG SIZE  rcvd: 131',
  '',
].join('\n');

const NXDOMAIN = [
  ';; Got answer:',
  ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 1301',
  ';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1',
  '',
  ';; QUESTION SECTION:',
  `;kconform-nope-5eed.ns1.svc.cluster.local. IN${T}A`,
  '',
  ';; Query time: 1 msec',
  ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
].join('\n');

const SRV = [
  ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 777',
  ';; QUESTION SECTION:',
  `;_http._tcp.dns.ns1.svc.cluster.local. IN${T}SRV`,
  '',
  ';; ANSWER SECTION:',
  `_http._tcp.dns.ns1.svc.cluster.local. 30 IN${T}SRV${T}0 100 80 dns.ns1.svc.cluster.local.`,
  '',
  ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
].join('\n');

describe('parseDig', () => {
  it('reads status, question, answer, server and query time of an A answer', () => {
    const r = parseDig(NOERROR_A, 0);
    expect(r).toEqual({
      status: 'NOERROR',
      question: 'dns.kconform-network-1a2b3c.svc.cluster.local.',
      answers: [{ name: 'dns.kconform-network-1a2b3c.svc.cluster.local.', ttl: 30, type: 'A', data: '10.96.113.7' }],
      server: '10.96.0.10',
      queryTimeMs: 0,
    });
    expect(addressesOf(r)).toEqual(['10.96.113.7']);
  });

  it('tells NXDOMAIN (an answer) from no answer', () => {
    const r = parseDig(NXDOMAIN, 0);
    expect(r.status).toBe('NXDOMAIN');
    expect(r.noAnswer).toBeUndefined();
    expect(r.answers).toEqual([]);
    expect(r.question).toBe('kconform-nope-5eed.ns1.svc.cluster.local.');
  });

  it('reads SRV records', () => {
    expect(srvOf(parseDig(SRV, 0))).toEqual([{ priority: 0, weight: 100, port: 80, target: 'dns.ns1.svc.cluster.local.' }]);
  });

  it('reads several addresses (a headless Service), sorted', () => {
    const text = NOERROR_A.replace(`30 IN${T}A${T}10.96.113.7`, `5 IN${T}A${T}10.244.2.4\nh.ns.svc.cluster.local. 5 IN${T}A${T}10.244.1.3`);
    expect(addressesOf(parseDig(text, 0))).toEqual(['10.244.1.3', '10.244.2.4']);
  });

  it('says "timed out" when no server answered (dig 9.18 and 9.16 wordings)', () => {
    const r918 = parseDig(';; communications error to 10.96.0.10#53: timed out\n;; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n', 9);
    expect(r918).toMatchObject({ noAnswer: 'timed out', triedServer: '10.96.0.10', answers: [] });
    expect(r918.status).toBeUndefined();
    expect(parseDig(';; connection timed out; no servers could be reached\n', 9).noAnswer).toBe('timed out');
  });

  it('says "connection refused" when the Service has no endpoints (kube-proxy rejects)', () => {
    const r = parseDig(';; communications error to 10.96.0.10#53: connection refused\n;; no servers could be reached\n', 9);
    expect(r).toMatchObject({ noAnswer: 'connection refused', triedServer: '10.96.0.10' });
  });

  it('keeps an answer that came after failed tries, and the last of several responses (search)', () => {
    const r = parseDig(`;; communications error to 10.96.0.10#53: timed out\n${NXDOMAIN}\n${NOERROR_A}`, 0);
    expect(r.status).toBe('NOERROR');
    expect(r.noAnswer).toBeUndefined();
    expect(r.answers).toHaveLength(1);
  });

  it('explains a missing dig and an unknown failure', () => {
    expect(parseDig('', 127).noAnswer).toBe('dig is not installed in the probe image');
    expect(parseDig('dig: couldn\'t get address for \'x\': not found\n', 10).noAnswer).toBe("dig exit 10: dig: couldn't get address for 'x': not found");
  });
});

describe('digCommand', () => {
  it('asks one name with bounded time and tries, searching only when told', () => {
    expect(digCommand('dns', 'A', { search: true, timeSec: 2, tries: 2 })).toEqual(['dig', '+noall', '+comments', '+question', '+answer', '+stats', '+time=2', '+tries=2', '+search', 'dns', 'A']);
    expect(digCommand('x.', 'SRV', { search: false, timeSec: 0.2, tries: 0 }).slice(6)).toEqual(['+time=1', '+tries=1', '+nosearch', 'x.', 'SRV']);
  });
});

// Outputs recorded from real clusters: <name>.txt with the expected parse in <name>.json.
const dir = path.join(import.meta.dirname, 'testdata');
const recorded = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')) : [];
describe.skipIf(recorded.length === 0)('parseDig on recorded outputs', () => {
  it.each(recorded)('%s', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const want = JSON.parse(readFileSync(path.join(dir, file.replace(/\.txt$/, '.json')), 'utf8')) as { exitCode: number; expect: Record<string, unknown> };
    expect(parseDig(text, want.exitCode)).toMatchObject(want.expect);
  });
});
