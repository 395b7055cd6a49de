// Pure part of the `dns` check: which names to ask and what each answer must
// be, and the judgement of each answer. Every name is inside the cluster
// domain: relative names are expanded by the pod's search path (whose entries
// are all cluster names) and resolve at the first or second entry; the others
// are fully qualified (trailing dot), so nothing is ever asked outside.
import { addressesOf, srvOf, type DigResult } from './dig.ts';

export type Expectation =
  | { kind: 'addresses'; ips: string[]; what: string }
  | { kind: 'nxdomain' }
  | { kind: 'srv'; port: number; target: string };

export interface DnsQuery {
  id: string;
  name: string;
  type: 'A' | 'SRV';
  /** Expand through the resolv.conf search path (relative names). */
  search: boolean;
  expect: Expectation;
}

export interface QueryFacts {
  namespace: string;
  domain: string;
  service: string;
  clusterIP: string;
  headless: string;
  /** Ready pod IPs behind the headless Service. */
  podIPs: string[];
  nonce: string;
  /** ClusterIP of Service kubernetes in namespace default (cross-namespace lookup). */
  kubernetesIP?: string;
}

export function dnsQueries(f: QueryFacts): DnsQuery[] {
  const fqdn = (n: string) => `${n}.${f.namespace}.svc.${f.domain}`;
  const clusterIP = { kind: 'addresses' as const, ips: [f.clusterIP], what: `the ClusterIP of ${f.service}` };
  const queries: DnsQuery[] = [
    { id: 'short', name: f.service, type: 'A', search: true, expect: clusterIP },
    { id: 'ns', name: `${f.service}.${f.namespace}`, type: 'A', search: true, expect: clusterIP },
    { id: 'svc', name: `${f.service}.${f.namespace}.svc`, type: 'A', search: true, expect: clusterIP },
    { id: 'fqdn', name: `${fqdn(f.service)}.`, type: 'A', search: false, expect: clusterIP },
    {
      id: 'headless',
      name: `${fqdn(f.headless)}.`,
      type: 'A',
      search: false,
      expect: { kind: 'addresses', ips: [...f.podIPs].sort(), what: `exactly the ready pod IPs of ${f.headless}` },
    },
    { id: 'srv', name: `_http._tcp.${fqdn(f.service)}.`, type: 'SRV', search: false, expect: { kind: 'srv', port: 80, target: `${fqdn(f.service)}.` } },
    { id: 'nxdomain', name: `kconform-nope-${f.nonce}.${f.namespace}.svc.${f.domain}.`, type: 'A', search: false, expect: { kind: 'nxdomain' } },
  ];
  if (f.kubernetesIP) {
    queries.push({ id: 'cross', name: 'kubernetes.default', type: 'A', search: true, expect: { kind: 'addresses', ips: [f.kubernetesIP], what: 'the ClusterIP of Service kubernetes (ns default)' } });
  }
  return queries;
}

export interface Judged {
  ok: boolean;
  /** The answer in short words, for the evidence table. */
  answer: string;
  expected: string;
  problem?: string;
  /** No DNS server answered (as opposed to a wrong or negative answer). */
  noAnswer?: boolean;
}

export function judgeQuery(q: DnsQuery, r: DigResult | { error: string }): Judged {
  const expected = describeExpectation(q.expect);
  if ('error' in r) return { ok: false, answer: 'query not run', expected, problem: `${q.name}: query could not run: ${r.error}` };
  if (r.status === undefined) {
    const server = r.triedServer ? ` from ${r.triedServer}` : '';
    return { ok: false, answer: `no answer (${r.noAnswer})`, expected, problem: `${q.name}: no DNS answer${server} (${r.noAnswer})`, noAnswer: true };
  }
  const shown = answerText(q, r);
  const bad = (why: string): Judged => ({ ok: false, answer: shown, expected, problem: `${q.name}: ${why}` });
  switch (q.expect.kind) {
    case 'nxdomain':
      return r.status === 'NXDOMAIN' ? { ok: true, answer: 'NXDOMAIN', expected } : bad(`expected NXDOMAIN, got ${shown}`);
    case 'addresses': {
      if (r.status !== 'NOERROR') return bad(`${r.status}, expected ${q.expect.ips.join(', ')} (${q.expect.what})`);
      const got = addressesOf(r);
      const want = [...q.expect.ips].sort();
      if (got.length === want.length && got.every((ip, i) => ip === want[i])) return { ok: true, answer: shown, expected };
      return bad(`answered ${got.length ? got.join(', ') : 'no address'}, expected ${want.join(', ')} (${q.expect.what})`);
    }
    case 'srv': {
      if (r.status !== 'NOERROR') return bad(`${r.status}, expected an SRV record (port ${q.expect.port}, target ${q.expect.target})`);
      const srv = srvOf(r);
      const want = q.expect;
      if (srv.length > 0 && srv.every((s) => s.port === want.port && s.target === want.target)) return { ok: true, answer: shown, expected };
      return bad(`SRV answered ${srv.length ? shown : 'nothing'}, expected port ${want.port} target ${want.target}`);
    }
  }
}

function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'nxdomain':
      return 'NXDOMAIN';
    case 'addresses':
      return e.ips.join(', ');
    case 'srv':
      return `SRV port ${e.port} -> ${e.target}`;
  }
}

function answerText(q: DnsQuery, r: DigResult): string {
  if (r.status !== 'NOERROR') return r.status ?? 'no answer';
  if (q.type === 'SRV') return srvOf(r).map((s) => `${s.priority} ${s.weight} ${s.port} ${s.target}`).join('; ') || 'NOERROR, no records';
  return addressesOf(r).join(', ') || 'NOERROR, no address';
}

export interface DnsVerdict {
  ok: boolean;
  problems: string[];
  /** How many queries got no DNS answer at all. */
  noAnswer: number;
  summary: string;
}

export function evaluateDns(queries: DnsQuery[], judged: Judged[], resolvProblems: string[], podIPs: string[]): DnsVerdict {
  const noAnswer = judged.filter((j) => j.noAnswer).length;
  const problems: string[] = [];
  // "No DNS answer" first: it explains every other symptom (CoreDNS down, DNS traffic blocked).
  if (noAnswer > 0) {
    const first = judged.find((j) => j.noAnswer)!;
    problems.push(`no DNS answer for ${noAnswer}/${queries.length} queries (${first.answer.replace(/^no answer \((.*)\)$/, '$1')}); first: ${first.problem}`);
  }
  problems.push(...judged.filter((j) => !j.ok && !j.noAnswer && j.problem).map((j) => j.problem!));
  problems.push(...resolvProblems);
  const names = queries.filter((q) => q.expect.kind === 'addresses').length;
  const nx = judged[queries.findIndex((q) => q.expect.kind === 'nxdomain')]?.ok ? 'NXDOMAIN ok' : 'NXDOMAIN wrong';
  const summary = `${judged.filter((j) => j.ok).length}/${queries.length} queries ok (${names} names, headless ${podIPs.length} IPs, SRV, ${nx}), resolv.conf ${resolvProblems.length === 0 ? 'ok' : 'wrong'}`;
  return { ok: problems.length === 0, problems, noAnswer, summary };
}
