import { describe, expect, it } from 'vitest';
import type { DigResult } from './dig.ts';
import { dnsQueries, evaluateDns, judgeQuery, type DnsQuery } from './evaluate.ts';

const facts = { namespace: 'ns1', domain: 'cluster.local', service: 'dns', clusterIP: '10.96.113.7', headless: 'dns-headless', podIPs: ['10.244.2.4', '10.244.1.3'], nonce: '5eed', kubernetesIP: '10.96.0.1' };
const queries = dnsQueries(facts);
const q = (id: string) => queries.find((x) => x.id === id)!;

const a = (status: string, ips: string[] = [], question = 'x.'): DigResult => ({ status, question, answers: ips.map((ip) => ({ name: question, ttl: 30, type: 'A', data: ip })), server: '10.96.0.10' });
const srv = (data: string): DigResult => ({ status: 'NOERROR', answers: [{ name: 'x.', ttl: 30, type: 'SRV', data }], server: '10.96.0.10' });
const timeout: DigResult = { answers: [], noAnswer: 'timed out', triedServer: '10.96.0.10' };

/** What a healthy cluster DNS answers. */
function healthy(query: DnsQuery): DigResult {
  switch (query.id) {
    case 'headless':
      return a('NOERROR', ['10.244.2.4', '10.244.1.3']);
    case 'srv':
      return srv('0 100 80 dns.ns1.svc.cluster.local.');
    case 'nxdomain':
      return a('NXDOMAIN');
    case 'cross':
      return a('NOERROR', ['10.96.0.1']);
    default:
      return a('NOERROR', ['10.96.113.7']);
  }
}

describe('dnsQueries', () => {
  it('asks only cluster names: relative ones through the search path, the rest fully qualified', () => {
    expect(queries.map((x) => [x.id, x.name, x.type, x.search])).toEqual([
      ['short', 'dns', 'A', true],
      ['ns', 'dns.ns1', 'A', true],
      ['svc', 'dns.ns1.svc', 'A', true],
      ['fqdn', 'dns.ns1.svc.cluster.local.', 'A', false],
      ['headless', 'dns-headless.ns1.svc.cluster.local.', 'A', false],
      ['srv', '_http._tcp.dns.ns1.svc.cluster.local.', 'SRV', false],
      ['nxdomain', 'kconform-nope-5eed.ns1.svc.cluster.local.', 'A', false],
      ['cross', 'kubernetes.default', 'A', true],
    ]);
    for (const x of queries.filter((y) => !y.search)) expect(x.name.endsWith('.cluster.local.')).toBe(true);
    expect(dnsQueries({ ...facts, kubernetesIP: undefined }).map((x) => x.id)).not.toContain('cross');
  });
});

describe('judgeQuery and evaluateDns', () => {
  it('passes a healthy cluster', () => {
    const judged = queries.map((x) => judgeQuery(x, healthy(x)));
    const v = evaluateDns(queries, judged, [], facts.podIPs);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('8/8 queries ok (6 names, headless 2 IPs, SRV, NXDOMAIN ok), resolv.conf ok');
  });

  it('fails with "no DNS answer" when CoreDNS is gone, distinct from NXDOMAIN', () => {
    const judged = queries.map((x) => judgeQuery(x, timeout));
    const v = evaluateDns(queries, judged, [], facts.podIPs);
    expect(v.ok).toBe(false);
    expect(v.noAnswer).toBe(8);
    expect(v.problems).toEqual(['no DNS answer for 8/8 queries (timed out); first: dns: no DNS answer from 10.96.0.10 (timed out)']);
    expect(judgeQuery(q('nxdomain'), timeout).ok).toBe(false);
  });

  it('names a Service name that does not resolve, and a wrong address', () => {
    expect(judgeQuery(q('ns'), a('NXDOMAIN')).problem).toBe('dns.ns1: NXDOMAIN, expected 10.96.113.7 (the ClusterIP of dns)');
    expect(judgeQuery(q('short'), a('NOERROR', ['10.0.0.9'])).problem).toBe('dns: answered 10.0.0.9, expected 10.96.113.7 (the ClusterIP of dns)');
  });

  it('wants exactly the ready pod IPs for the headless Service', () => {
    expect(judgeQuery(q('headless'), a('NOERROR', ['10.244.1.3'])).problem).toBe(
      'dns-headless.ns1.svc.cluster.local.: answered 10.244.1.3, expected 10.244.1.3, 10.244.2.4 (exactly the ready pod IPs of dns-headless)',
    );
    expect(judgeQuery(q('headless'), a('NOERROR', ['10.244.1.3', '10.244.2.4', '10.244.3.3'])).ok).toBe(false);
    expect(judgeQuery(q('headless'), a('NOERROR', ['10.96.113.7'])).ok).toBe(false);
  });

  it('checks the SRV port and target', () => {
    expect(judgeQuery(q('srv'), srv('0 100 8080 dns.ns1.svc.cluster.local.')).problem).toBe(
      '_http._tcp.dns.ns1.svc.cluster.local.: SRV answered 0 100 8080 dns.ns1.svc.cluster.local., expected port 80 target dns.ns1.svc.cluster.local.',
    );
    expect(judgeQuery(q('srv'), a('NXDOMAIN')).ok).toBe(false);
  });

  it('fails a resolver that answers every name (a stub): the missing name must be NXDOMAIN', () => {
    const stub = a('NOERROR', ['10.96.113.7']);
    const judged = queries.map((x) => judgeQuery(x, stub));
    const v = evaluateDns(queries, judged, [], facts.podIPs);
    expect(v.ok).toBe(false);
    expect(v.problems).toContain('kconform-nope-5eed.ns1.svc.cluster.local.: expected NXDOMAIN, got 10.96.113.7');
    expect(v.problems.some((p) => p.startsWith('dns-headless'))).toBe(true);
    expect(v.problems.some((p) => p.startsWith('kubernetes.default'))).toBe(true);
  });

  it('reports a query that could not run and resolv.conf problems', () => {
    const judged = queries.map((x) => (x.id === 'srv' ? judgeQuery(x, { error: 'exec failed' }) : judgeQuery(x, healthy(x))));
    const v = evaluateDns(queries, judged, ['resolv.conf has ndots:1, expected ndots:5'], facts.podIPs);
    expect(v.problems).toEqual(['_http._tcp.dns.ns1.svc.cluster.local.: query could not run: exec failed', 'resolv.conf has ndots:1, expected ndots:5']);
    expect(v.summary).toBe('7/8 queries ok (6 names, headless 2 IPs, SRV, NXDOMAIN ok), resolv.conf wrong');
  });
});
