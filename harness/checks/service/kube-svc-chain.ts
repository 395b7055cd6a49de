// A Service's KUBE-SVC chain in kube-proxy's iptables mode, read from
// iptables-save: which endpoint each rule jumps to, with what probability, and
// whether the chain spreads new connections evenly. kube-proxy writes K rules
// for K endpoints: rule i (0-based) matches with probability 1/(K-i) among the
// connections that got past the rules before it, and the last one has no
// statistic match at all, so every endpoint gets 1/K. Pure.
import { hasOption, valueAfter, type IptablesDump, type IptablesRule } from './iptables-save.ts';

export interface ServicePortKey {
  clusterIP: string;
  port: number;
  protocol: string;
}

export interface ChainEntry {
  /** The KUBE-SEP chain this rule jumps to. */
  sep: string;
  /** `--probability` as printed, when the rule has a `statistic --mode random` match. */
  probabilityText?: string;
  probability?: number;
  /** ip:port of the endpoint (the SEP chain's DNAT --to-destination). */
  endpoint?: string;
  line: number;
}

export interface ServiceChain {
  chain: string;
  entries: ChainEntry[];
  /** sessionAffinity ClientIP rules (`-m recent --rcheck`) precede the spread. */
  affinityRules: number;
}

/** The KUBE-SVC (or KUBE-SVL) chain KUBE-SERVICES sends the ClusterIP:port to, if any. */
export function findServiceChain(dump: IptablesDump, key: ServicePortKey): string | undefined {
  const rules = dump.get('nat')?.chains.get('KUBE-SERVICES') ?? [];
  const dest = key.clusterIP.includes(':') ? `${key.clusterIP}/128` : `${key.clusterIP}/32`;
  const rule = rules.find(
    (r) =>
      valueAfter(r.tokens, '-d') === dest &&
      (valueAfter(r.tokens, '-p') ?? '').toLowerCase() === key.protocol.toLowerCase() &&
      valueAfter(r.tokens, '--dport') === String(key.port) &&
      /^KUBE-SV[CL]-/.test(r.target ?? ''),
  );
  return rule?.target;
}

/** The endpoint rules of a service chain, in order. */
export function readServiceChain(dump: IptablesDump, chain: string): ServiceChain {
  const nat = dump.get('nat');
  const rules = nat?.chains.get(chain) ?? [];
  const entries: ChainEntry[] = [];
  let affinityRules = 0;
  for (const r of rules) {
    if (!r.target?.startsWith('KUBE-SEP-')) continue;
    if (r.tokens.includes('recent') && r.tokens.includes('--rcheck')) {
      affinityRules++;
      continue;
    }
    const entry: ChainEntry = { sep: r.target, line: r.line };
    if (hasOption(r.tokens, '--mode', 'random')) {
      const text = valueAfter(r.tokens, '--probability');
      if (text !== undefined) {
        entry.probabilityText = text;
        entry.probability = Number(text);
      }
    }
    const endpoint = dnatTarget(nat?.chains.get(r.target) ?? []);
    if (endpoint) entry.endpoint = endpoint;
    entries.push(entry);
  }
  return { chain, entries, affinityRules };
}

function dnatTarget(rules: IptablesRule[]): string | undefined {
  for (const r of rules) if (r.target === 'DNAT') return valueAfter(r.tokens, '--to-destination');
  return undefined;
}

/**
 * How iptables prints a probability p: the statistic match stores it as a 31-bit
 * fraction and prints 11 decimals (1/3 -> "0.33333333349").
 */
export function iptablesProbabilityText(p: number): string {
  return (Math.round(p * 2 ** 31) / 2 ** 31).toFixed(11);
}

/** Close enough to p after iptables' 31-bit rounding and kube-proxy's 10 printed decimals. */
export function sameProbability(actual: number, p: number): boolean {
  return Math.abs(actual - p) < 1e-8;
}

export interface ChainRow {
  rule: number;
  endpoint: string;
  probability: string;
  expected: string;
  /** Share of new connections this rule gets: p_i times the share left by the rules before it. */
  share: number;
  ok: boolean;
}

export interface ChainVerdict {
  ok: boolean;
  problems: string[];
  rows: ChainRow[];
  /** The probabilities as read: "0.33333333349, 0.50000000000, unconditional". */
  summary: string;
}

/** Judges a chain against the endpoints (ip:port) the Service's EndpointSlices list as ready. */
export function judgeServiceChain(chain: ServiceChain, expectedEndpoints: string[]): ChainVerdict {
  const k = chain.entries.length;
  const problems: string[] = [];
  const rows: ChainRow[] = [];
  let left = 1;
  chain.entries.forEach((e, i) => {
    const last = i === k - 1;
    const want = 1 / (k - i);
    const p = e.probability ?? 1;
    let ok = true;
    const ep = e.endpoint ?? `${e.sep} (no DNAT rule)`;
    if (last) {
      if (e.probability !== undefined) {
        ok = false;
        problems.push(`the last rule of ${chain.chain} (-> ${ep}) has probability ${e.probabilityText}; expected no statistic match (unconditional)`);
      }
    } else if (e.probability === undefined) {
      ok = false;
      problems.push(`rule ${i + 1} of ${chain.chain} (-> ${ep}) is unconditional; expected probability 1/${k - i} = ${iptablesProbabilityText(want)}, so rules after it are never reached`);
    } else if (!sameProbability(e.probability, want)) {
      ok = false;
      problems.push(`rule ${i + 1} of ${chain.chain} (-> ${ep}) has probability ${e.probabilityText}; expected 1/${k - i} = ${iptablesProbabilityText(want)}`);
    }
    const share = left * Math.min(1, p);
    left -= share;
    rows.push({ rule: i + 1, endpoint: ep, probability: e.probabilityText ?? 'unconditional', expected: last ? 'unconditional' : `1/${k - i} = ${iptablesProbabilityText(want)}`, share, ok });
  });

  const listed = chain.entries.map((e) => e.endpoint).filter((e): e is string => !!e);
  const missing = expectedEndpoints.filter((e) => !listed.includes(e));
  const extra = listed.filter((e) => !expectedEndpoints.includes(e));
  if (k === 0) problems.unshift(`${chain.chain} has no endpoint rules (expected ${expectedEndpoints.length})`);
  else {
    if (missing.length > 0) problems.push(`${chain.chain} does not send to ${missing.join(', ')} (ready in the EndpointSlices)`);
    if (extra.length > 0) problems.push(`${chain.chain} sends to ${extra.join(', ')}, not a ready endpoint of the Service`);
  }
  const summary = k === 0 ? 'no endpoint rules' : chain.entries.map((e) => e.probabilityText ?? 'unconditional').join(', ');
  return { ok: problems.length === 0, problems, rows, summary };
}
