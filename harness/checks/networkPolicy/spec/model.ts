// The NetworkPolicy model: namespaces x pods x ports, the flows between them
// and truth tables over those flows. Pure: no cluster here.

export type Protocol = 'TCP' | 'UDP';
export type Verdict = 'allow' | 'deny';

/** One port every model pod serves, with the container port's name (for named-port policies). */
export interface ModelPort {
  port: number;
  protocol: Protocol;
  name: string;
}

/** The ports every model pod serves: TCP 80 and 81 (an endPort range covers both), UDP 80. */
export const MODEL_PORTS: readonly ModelPort[] = [
  { port: 80, protocol: 'TCP', name: 'serve-80-tcp' },
  { port: 81, protocol: 'TCP', name: 'serve-81-tcp' },
  { port: 80, protocol: 'UDP', name: 'serve-80-udp' },
];

export interface Model {
  /** Short namespace names (x, y, z); each model namespace carries the label ns=<name>. */
  namespaces: string[];
  /** Pod names in every namespace (a, b); each pod carries the label pod=<name>. */
  pods: string[];
  ports: readonly ModelPort[];
  /** Probe DNS (a name lookup through the cluster DNS) from every pod: the "dns" column. */
  dns: boolean;
}

/** "x/a" */
export type PodId = string;
/** "x/a:80/TCP" or "dns" */
export type TargetId = string;

export const DNS_TARGET = 'dns';

export function podIds(m: Model): PodId[] {
  return m.namespaces.flatMap((ns) => m.pods.map((p) => `${ns}/${p}`));
}

export function portId(p: Pick<ModelPort, 'port' | 'protocol'>): string {
  return `${p.port}/${p.protocol}`;
}

export function targetIds(m: Model): TargetId[] {
  return [...podIds(m).flatMap((pod) => m.ports.map((p) => `${pod}:${portId(p)}`)), ...(m.dns ? [DNS_TARGET] : [])];
}

/** The pod of a target ("x/a:80/TCP" -> "x/a"; dns -> undefined). */
export function targetPod(t: TargetId): PodId | undefined {
  const i = t.indexOf(':');
  return i < 0 ? undefined : t.slice(0, i);
}

export interface Flow {
  from: PodId;
  to: TargetId;
}

/** Every flow probed: each pod to every port of every other pod, and to DNS. A pod to itself is left out (CNIs differ on hairpin traffic and policy does not govern it the same way). */
export function flows(m: Model): Flow[] {
  const out: Flow[] = [];
  for (const from of podIds(m)) for (const to of targetIds(m)) if (targetPod(to) !== from) out.push({ from, to });
  return out;
}

export function flowKey(f: Flow): string {
  return `${f.from} -> ${f.to}`;
}

/** Verdict per flow key. */
export type Table = Map<string, Verdict>;

export function allAllowed(m: Model): Table {
  return new Map(flows(m).map((f) => [flowKey(f), 'allow' as const]));
}

export interface Mismatch {
  flow: Flow;
  expected: Verdict;
  got: Verdict | 'not probed';
}

export function compareTables(m: Model, expected: Table, observed: Table): Mismatch[] {
  const out: Mismatch[] = [];
  for (const f of flows(m)) {
    const e = expected.get(flowKey(f)) ?? 'allow';
    const o = observed.get(flowKey(f));
    if (o !== e) out.push({ flow: f, expected: e, got: o ?? 'not probed' });
  }
  return out;
}

/** "x/a -> y/b:80/TCP expected deny, got allow" */
export function describeMismatch(x: Mismatch): string {
  return `${x.flow.from} -> ${x.flow.to} expected ${x.expected}, got ${x.got}`;
}

/** Flows the expected table denies, and how many of those were denied. */
export function denialCount(m: Model, expected: Table, observed: Table): { denies: number; denied: number } {
  let denies = 0;
  let denied = 0;
  for (const f of flows(m)) {
    if (expected.get(flowKey(f)) !== 'deny') continue;
    denies++;
    if (observed.get(flowKey(f)) === 'deny') denied++;
  }
  return { denies, denied };
}

const CELL = { allow: '.', deny: 'X', self: '-', unknown: '?' } as const;

/**
 * The truth table as text, one block per port (rows: from, columns: to pod),
 * expected and observed side by side; a cell that differs is marked with `!`
 * after the observed one. Legend: . allow, X deny, - self (not probed).
 */
export function renderTables(m: Model, expected: Table, observed?: Table): string {
  const pods = podIds(m);
  const w = Math.max(3, ...pods.map((p) => p.length));
  const cw = w + 1;
  const gap = '   ';
  const cell = (table: Table, key: string | undefined, other?: Table) => {
    if (key === undefined) return ` ${CELL.self}`.padEnd(cw);
    const v = table.get(key);
    const differs = other !== undefined && (other.get(key) ?? 'allow') !== v;
    return ` ${v ? CELL[v] : CELL.unknown}${differs ? '!' : ''}`.padEnd(cw);
  };
  const header = pods.map((p) => ` ${p}`.padEnd(cw)).join('');
  const titles = ' '.repeat(w) + ' expected'.padEnd(header.length) + (observed ? `${gap} observed` : '');
  const blocks: string[] = [];
  for (const port of m.ports) {
    const key = (from: PodId, to: PodId) => (to === from ? undefined : flowKey({ from, to: `${to}:${portId(port)}` }));
    const lines = [`${portId(port)} (${port.name})`, titles, ' '.repeat(w) + header + (observed ? gap + header : '')];
    for (const from of pods) {
      const e = pods.map((to) => cell(expected, key(from, to))).join('');
      const o = observed ? gap + pods.map((to) => cell(observed, key(from, to), expected)).join('') : '';
      lines.push(from.padEnd(w) + e + o);
    }
    blocks.push(lines.map((l) => l.trimEnd()).join('\n'));
  }
  if (m.dns) {
    const lines = ['dns (lookup through the cluster DNS)', `${' '.repeat(w)} expected${observed ? ' observed' : ''}`];
    for (const from of pods) {
      const key = flowKey({ from, to: DNS_TARGET });
      lines.push((from.padEnd(w) + cell(expected, key).padEnd(9) + (observed ? cell(observed, key, expected) : '')).trimEnd());
    }
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n(. allow, X deny, - self: not probed, ! differs from expected)`;
}
