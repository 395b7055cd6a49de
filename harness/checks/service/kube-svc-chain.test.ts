// The iptables-save parser and the KUBE-SVC chain verdict, on recorded samples
// in testdata/: hand-written ones in the exact format iptables-save prints
// (nft and legacy), and ones read from the kind testbed's nodes.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, tokenize } from './iptables-save.ts';
import { findServiceChain, iptablesProbabilityText, judgeServiceChain, readServiceChain, sameProbability } from './kube-svc-chain.ts';

const sample = (name: string) => readFileSync(path.join(import.meta.dirname, 'testdata', name), 'utf8');

describe('tokenize', () => {
  it('keeps quoted comments whole and unescapes quotes inside them', () => {
    expect(tokenize('-A X -m comment --comment "ns/web:http -> 10.0.0.1:80" -j Y')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'ns/web:http -> 10.0.0.1:80', '-j', 'Y']);
    expect(tokenize('-A X --comment "say \\"hi\\"" -j Y')).toEqual(['-A', 'X', '--comment', 'say "hi"', '-j', 'Y']);
    expect(tokenize('-A X --comment "" -j Y')).toEqual(['-A', 'X', '--comment', '', '-j', 'Y']);
  });
});

describe('parseIptablesSave', () => {
  it('reads tables, declared chains in order, rules with target and comment', () => {
    const dump = parseIptablesSave(sample('k3-handwritten.txt'));
    const nat = dump.get('nat')!;
    expect([...nat.chains.keys()].slice(0, 4)).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
    const svc = nat.chains.get('KUBE-SVC-WEBWEBWEBWEBWEB1')!;
    expect(svc).toHaveLength(4);
    expect(svc[1]).toMatchObject({ target: 'KUBE-SEP-AAAAAAAAAAAAAAAA', comment: 'kconform-classic-abc123/web:http -> 10.244.1.5:8080' });
    expect(nat.chains.get('KUBE-SEP-BBBBBBBBBBBBBBBB')![1]!.target).toBe('DNAT');
  });

  it('keeps tables apart and ignores lines outside a table', () => {
    const dump = parseIptablesSave('junk before\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n-A STRAY -j X\n*nat\n-A KUBE-SERVICES -j KUBE-NODEPORTS\nCOMMIT\n');
    expect([...dump.keys()]).toEqual(['filter', 'nat']);
    expect(dump.get('filter')!.chains.get('INPUT')![0]!.target).toBe('DROP');
    expect(dump.get('nat')!.chains.has('STRAY')).toBe(false);
  });
});

describe('KUBE-SVC chain', () => {
  it('K=3: 1/3, 1/2, then unconditional, each endpoint a third', () => {
    const dump = parseIptablesSave(sample('k3-handwritten.txt'));
    const chain = findServiceChain(dump, { clusterIP: '10.96.140.21', port: 80, protocol: 'TCP' });
    expect(chain).toBe('KUBE-SVC-WEBWEBWEBWEBWEB1');
    const read = readServiceChain(dump, chain!);
    expect(read.entries.map((e) => [e.probabilityText, e.endpoint])).toEqual([
      ['0.33333333349', '10.244.1.5:8080'],
      ['0.50000000000', '10.244.2.7:8080'],
      [undefined, '10.244.2.8:8080'],
    ]);
    const v = judgeServiceChain(read, ['10.244.1.5:8080', '10.244.2.7:8080', '10.244.2.8:8080']);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('0.33333333349, 0.50000000000, unconditional');
    for (const r of v.rows) expect(r.share).toBeCloseTo(1 / 3, 8);
  });

  it('does not take another port or protocol of the same ClusterIP', () => {
    const dump = parseIptablesSave(sample('k3-handwritten.txt'));
    expect(findServiceChain(dump, { clusterIP: '10.96.140.21', port: 81, protocol: 'TCP' })).toBeUndefined();
    expect(findServiceChain(dump, { clusterIP: '10.96.140.21', port: 80, protocol: 'UDP' })).toBeUndefined();
    expect(findServiceChain(dump, { clusterIP: '10.96.0.1', port: 443, protocol: 'TCP' })).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
  });

  it('K=5 with sessionAffinity ClientIP: the recent-match rules are counted apart, the spread is 1/5..1/2', () => {
    const dump = parseIptablesSave(sample('k5-affinity-legacy.txt'));
    const read = readServiceChain(dump, findServiceChain(dump, { clusterIP: '10.96.33.4', port: 8080, protocol: 'tcp' })!);
    expect(read.affinityRules).toBe(5);
    expect(read.entries.map((e) => e.probabilityText ?? '-')).toEqual(['0.20000000019', '0.25000000000', '0.33333333349', '0.50000000000', '-']);
    const v = judgeServiceChain(read, ['10.244.1.11:8080', '10.244.1.12:8080', '10.244.2.13:8080', '10.244.2.14:8080', '10.244.0.15:8080']);
    expect(v.ok).toBe(true);
    for (const r of v.rows) expect(r.share).toBeCloseTo(0.2, 8);
  });

  it('names a rule whose probability is wrong and a last rule that is not unconditional', () => {
    const dump = parseIptablesSave(sample('k3-skewed.txt'));
    const read = readServiceChain(dump, findServiceChain(dump, { clusterIP: '10.96.7.7', port: 80, protocol: 'TCP' })!);
    const v = judgeServiceChain(read, ['10.244.1.21:8080', '10.244.1.22:8080', '10.244.2.23:8080']);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      'rule 2 of KUBE-SVC-SKEWSKEWSKEWSKEW (-> 10.244.1.22:8080) has probability 0.33333333349; expected 1/2 = 0.50000000000',
      'the last rule of KUBE-SVC-SKEWSKEWSKEWSKEW (-> 10.244.2.23:8080) has probability 0.33333333349; expected no statistic match (unconditional)',
    ]);
    // 1/3, then 1/3 of the remaining 2/3, then 1/3 of what is left; the rest falls through the chain.
    expect(v.rows.map((r) => Number(r.share.toFixed(4)))).toEqual([0.3333, 0.2222, 0.1481]);
  });

  it('names endpoints missing from the chain or not in the EndpointSlices, and an empty chain', () => {
    const dump = parseIptablesSave(sample('k3-handwritten.txt'));
    const read = readServiceChain(dump, 'KUBE-SVC-WEBWEBWEBWEBWEB1');
    const v = judgeServiceChain(read, ['10.244.1.5:8080', '10.244.2.7:8080', '10.244.9.9:8080']);
    expect(v.problems).toEqual([
      'KUBE-SVC-WEBWEBWEBWEBWEB1 does not send to 10.244.9.9:8080 (ready in the EndpointSlices)',
      'KUBE-SVC-WEBWEBWEBWEBWEB1 sends to 10.244.2.8:8080, not a ready endpoint of the Service',
    ]);
    const empty = judgeServiceChain(readServiceChain(dump, 'KUBE-SVC-NOPE'), ['10.244.1.5:8080']);
    expect(empty.problems).toEqual(['KUBE-SVC-NOPE has no endpoint rules (expected 1)']);
  });

  it('prints probabilities as iptables does (31-bit fraction, 11 decimals)', () => {
    expect([2, 3, 4, 5].map((k) => iptablesProbabilityText(1 / k))).toEqual(['0.50000000000', '0.33333333349', '0.25000000000', '0.20000000019']);
    // kube-proxy writes 1/3 as 0.3333333333 (10 decimals); iptables stores and prints 0.33333333349.
    expect(sameProbability(0.33333333349, 1 / 3)).toBe(true);
    expect(sameProbability(0.3333, 1 / 3)).toBe(false);
  });
});

describe('samples recorded on the testbed (testdata/recorded-*.txt)', () => {
  const files = readdirSync(path.join(import.meta.dirname, 'testdata')).filter((f) => f.startsWith('recorded-'));
  it('there is at least one', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)('%s: every KUBE-SVC chain of a multi-endpoint Service spreads 1/K, 1/(K-1), ..., unconditional', (file) => {
    const dump = parseIptablesSave(sample(file));
    const chains = [...dump.get('nat')!.chains.keys()].filter((c) => c.startsWith('KUBE-SVC-'));
    const multi = chains.map((c) => readServiceChain(dump, c)).filter((c) => c.entries.length >= 2);
    expect(multi.length).toBeGreaterThan(0);
    for (const c of multi) {
      const v = judgeServiceChain(c, c.entries.map((e) => e.endpoint!));
      expect(v.problems).toEqual([]);
    }
  });
});

describe('recorded on the kind testbed (v1.37.2, iptables-nft): Services web2, web3, web5 and sticky (ClientIP, K=3)', () => {
  const dump = parseIptablesSave(sample('recorded-kind-v1.37.2-iptables-nft.txt'));
  const chainFor = (ip: string, port: number) => readServiceChain(dump, findServiceChain(dump, { clusterIP: ip, port, protocol: 'TCP' })!);

  it.each([
    ['web2', '10.96.230.174', 80, ['0.50000000000', 'unconditional']],
    ['web3', '10.96.190.211', 80, ['0.33333333349', '0.50000000000', 'unconditional']],
    ['web5', '10.96.249.197', 80, ['0.20000000019', '0.25000000000', '0.33333333349', '0.50000000000', 'unconditional']],
    ['sticky', '10.96.103.133', 8080, ['0.33333333349', '0.50000000000', 'unconditional']],
  ] as const)('%s: %j', (_name, ip, port, probabilities) => {
    const c = chainFor(ip, port);
    const v = judgeServiceChain(c, c.entries.map((e) => e.endpoint!));
    expect(v.summary).toBe(probabilities.join(', '));
    expect(v.ok).toBe(true);
    expect(c.affinityRules).toBe(_name === 'sticky' ? 3 : 0);
    for (const row of v.rows) expect(row.share).toBeCloseTo(1 / probabilities.length, 8);
  });
});
