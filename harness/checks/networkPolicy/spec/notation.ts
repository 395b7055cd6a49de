// The compact notation of an expected truth table: a list of rules, read top to
// bottom, each setting the verdict of the flows it matches (later rules win);
// flows no rule matches are allowed.
//
//   "* -> x/* deny"            nothing reaches a pod in namespace x ...
//   "y/* -> x/a:80 allow"      ... except TCP 80 of x/a from namespace y
//   "x/* -> dns deny"          x's pods cannot resolve names
//
// FROM is ns/pod (either may be *) or *. TO is * (every pod port and dns), dns,
// or ns/pod[:PORT] where PORT is * (default), 80 (TCP), 80/udp or a port name
// (serve-80-udp). Pure; errors carry the column inside the rule.
import { DNS_TARGET, flowKey, flows, targetPod, type Flow, type Model, type Table, type Verdict } from './model.ts';

export interface Rule {
  from: { ns: string; pod: string } | '*';
  to: { ns: string; pod: string; port: PortSpec } | '*' | 'dns';
  verdict: Verdict;
}

export type PortSpec = { kind: 'any' } | { kind: 'number'; port: number; protocol: 'TCP' | 'UDP' } | { kind: 'name'; name: string };

export class NotationError extends Error {
  override readonly name = 'NotationError';
  /** 1-based column inside the rule's text. */
  readonly column: number;
  constructor(message: string, column: number) {
    super(message);
    this.column = column;
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^\*$/;
const FORMAT = 'expected FROM -> TO allow|deny, e.g. "y/* -> x/a:80 allow"';

export function parseRule(text: string, model?: Pick<Model, 'namespaces' | 'pods' | 'ports'>): Rule {
  const m = /^(\s*)(\S+)(\s+)->(\s+)(\S+)(\s+)(\S+)\s*$/.exec(text);
  if (!m) throw new NotationError(`${FORMAT}; got '${text}'`, 1);
  const fromCol = m[1]!.length + 1;
  const toCol = fromCol + m[2]!.length + m[3]!.length + 2 + m[4]!.length;
  const verdictCol = toCol + m[5]!.length + m[6]!.length;
  const verdict = m[7]!;
  if (verdict !== 'allow' && verdict !== 'deny') throw new NotationError(`expected allow or deny, got '${verdict}'`, verdictCol);
  return { from: parseFrom(m[2]!, fromCol, model), to: parseTo(m[5]!, toCol, model), verdict };
}

function parsePod(text: string, col: number, model: Pick<Model, 'namespaces' | 'pods'> | undefined): { ns: string; pod: string } {
  const parts = text.split('/');
  if (parts.length !== 2) throw new NotationError(`expected ns/pod (either may be *), got '${text}'`, col);
  const [ns, pod] = parts as [string, string];
  if (!NAME.test(ns)) throw new NotationError(`expected a namespace name or *, got '${ns}'`, col);
  if (!NAME.test(pod)) throw new NotationError(`expected a pod name or *, got '${pod}'`, col + ns.length + 1);
  if (model && ns !== '*' && !model.namespaces.includes(ns)) throw new NotationError(`namespace '${ns}' is not in the model (${model.namespaces.join(', ')})`, col);
  if (model && pod !== '*' && !model.pods.includes(pod)) throw new NotationError(`pod '${pod}' is not in the model (${model.pods.join(', ')})`, col + ns.length + 1);
  return { ns, pod };
}

function parseFrom(text: string, col: number, model: Pick<Model, 'namespaces' | 'pods'> | undefined): Rule['from'] {
  if (text === '*') return '*';
  if (text === DNS_TARGET) throw new NotationError('dns is a destination only', col);
  return parsePod(text, col, model);
}

function parseTo(text: string, col: number, model: Pick<Model, 'namespaces' | 'pods' | 'ports'> | undefined): Rule['to'] {
  if (text === '*') return '*';
  if (text === DNS_TARGET) return 'dns';
  const i = text.indexOf(':');
  const pod = parsePod(i < 0 ? text : text.slice(0, i), col, model);
  return { ...pod, port: i < 0 ? { kind: 'any' } : parsePort(text.slice(i + 1), col + i + 1, model) };
}

function parsePort(text: string, col: number, model: Pick<Model, 'ports'> | undefined): PortSpec {
  if (text === '*') return { kind: 'any' };
  const num = /^(\d{1,5})(?:\/(tcp|udp|TCP|UDP))?$/.exec(text);
  if (num) {
    const port = Number(num[1]);
    const protocol = (num[2] ?? 'TCP').toUpperCase() as 'TCP' | 'UDP';
    if (port < 1 || port > 65535) throw new NotationError(`expected a port 1-65535, got ${port}`, col);
    if (model && !model.ports.some((p) => p.port === port && p.protocol === protocol)) {
      throw new NotationError(`port ${port}/${protocol} is not served by the model pods (${model.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')})`, col);
    }
    return { kind: 'number', port, protocol };
  }
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text)) {
    if (model && !model.ports.some((p) => p.name === text)) throw new NotationError(`no model port is named '${text}' (${model.ports.map((p) => p.name).join(', ')})`, col);
    return { kind: 'name', name: text };
  }
  throw new NotationError(`expected a port: *, 80, 80/udp or a port name, got '${text}'`, col);
}

function podMatches(sel: { ns: string; pod: string }, id: string): boolean {
  const [ns, pod] = id.split('/') as [string, string];
  return (sel.ns === '*' || sel.ns === ns) && (sel.pod === '*' || sel.pod === pod);
}

export function ruleMatches(rule: Rule, f: Flow, model: Pick<Model, 'ports'>): boolean {
  if (rule.from !== '*' && !podMatches(rule.from, f.from)) return false;
  if (rule.to === '*') return true;
  if (rule.to === 'dns') return f.to === DNS_TARGET;
  const pod = targetPod(f.to);
  if (!pod || !podMatches(rule.to, pod)) return false;
  const spec = rule.to.port;
  if (spec.kind === 'any') return true;
  const [num, proto] = f.to.slice(f.to.indexOf(':') + 1).split('/') as [string, string];
  if (spec.kind === 'number') return spec.port === Number(num) && spec.protocol === proto;
  return model.ports.some((p) => p.name === spec.name && p.port === Number(num) && p.protocol === proto);
}

/** The expected table the rules describe over the model's flows. */
export function expectedTable(model: Model, rules: Rule[]): Table {
  const t: Table = new Map();
  for (const f of flows(model)) {
    let v: Verdict = 'allow';
    for (const r of rules) if (ruleMatches(r, f, model)) v = r.verdict;
    t.set(flowKey(f), v);
  }
  return t;
}

/** Parses a list of rule texts; the first bad rule throws with its index. */
export function parseRules(texts: string[], model?: Pick<Model, 'namespaces' | 'pods' | 'ports'>): Rule[] {
  return texts.map((t, i) => {
    try {
      return parseRule(t, model);
    } catch (err) {
      if (err instanceof NotationError) throw Object.assign(err, { index: i });
      throw err;
    }
  });
}
