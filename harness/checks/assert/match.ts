// Partial-object matching, Chainsaw-like: maps match partially (only the keys
// written), scalars must be equal, a plain list must contain a distinct matching
// element for each element written, and `$` operators say more (counts, some/all
// elements, regex, ranges). Every leaf of the expected tree is one result, so a
// check can give partial credit and a failure can show exactly what differed.
// Pure: no I/O.
import type { AssertOperator } from './spec.ts';

export interface LeafResult {
  /** Where in the object: `spec.containers`, `metadata.labels["app.kubernetes.io/name"]`. */
  path: string;
  /** What was asserted, in words: `= 3`, `$count 2`, `contains {name: shared}`. */
  expected: string;
  passed: boolean;
  /** What was found, in words (failed leaves only). */
  actual?: string;
}

type Obj = Record<string, unknown>;

const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every assertion the expected tree makes about `actual`, each passed or not. */
export function matchPartial(expected: unknown, actual: unknown, path = ''): LeafResult[] {
  const out: LeafResult[] = [];
  walk(expected, actual, path, out);
  return out;
}

/** True when every leaf passed (an empty expectation matches anything that exists). */
export function matches(expected: unknown, actual: unknown): boolean {
  return matchPartial(expected, actual).every((l) => l.passed);
}

function walk(exp: unknown, act: unknown, path: string, out: LeafResult[]): void {
  if (Array.isArray(exp)) return containsAll(exp, act, path, out);
  if (isMap(exp)) {
    const keys = Object.keys(exp);
    if (keys.length === 0) {
      out.push(leaf(path, 'a map', isMap(act), act));
      return;
    }
    for (const key of keys) {
      const sub = exp[key];
      if (key.startsWith('$')) operator(key as AssertOperator, sub, act, path, out);
      else walk(sub, isMap(act) ? act[key] : undefined, join(path, key), out);
    }
    return;
  }
  if (exp === null) {
    out.push(leaf(path, '= null', act === null || act === undefined, act));
    return;
  }
  out.push(leaf(path, `= ${show(exp)}`, sameScalar(exp, act), act));
}

/** A plain list: each expected element needs its own matching actual element (any order). */
function containsAll(exp: unknown[], act: unknown, path: string, out: LeafResult[]): void {
  const at = `${path}[]`;
  if (!Array.isArray(act)) {
    for (const e of exp) out.push({ path: at, expected: `contains ${show(e)}`, passed: false, actual: act === undefined ? 'nothing' : `not a list: ${show(act)}` });
    return;
  }
  const ok = exp.map((e) => act.map((a) => matches(e, a)));
  const assigned = maxMatching(ok, act.length);
  exp.forEach((e, i) => {
    if (assigned[i] !== undefined) {
      out.push({ path: at, expected: `contains ${show(e)}`, passed: true });
      return;
    }
    const anyOk = ok[i]!.some(Boolean);
    out.push({
      path: at,
      expected: `contains ${show(e)}`,
      passed: false,
      actual: anyOk ? 'its only matching element is already matched by another expected element' : closest(e, act),
    });
  });
}

/** Maximum bipartite matching (expected -> actual index), by augmenting paths; lists here are short. */
function maxMatching(ok: boolean[][], nAct: number): (number | undefined)[] {
  const owner: (number | undefined)[] = Array.from({ length: nAct }, () => undefined);
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < nAct; j++) {
      if (!ok[i]![j] || seen[j]) continue;
      seen[j] = true;
      if (owner[j] === undefined || tryAssign(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  ok.forEach((_, i) => tryAssign(i, []));
  const byExp: (number | undefined)[] = ok.map(() => undefined);
  owner.forEach((i, j) => {
    if (i !== undefined) byExp[i] = j;
  });
  return byExp;
}

function operator(op: AssertOperator, operand: unknown, act: unknown, path: string, out: LeafResult[]): void {
  const at = path || '(object)';
  switch (op) {
    case '$exists': {
      const present = act !== undefined && act !== null;
      out.push(leaf(at, operand ? 'exists' : 'does not exist', present === operand, act));
      return;
    }
    case '$regex': {
      const text = scalarText(act);
      out.push(leaf(at, `matches /${String(operand)}/`, text !== undefined && new RegExp(String(operand)).test(text), act));
      return;
    }
    case '$contains': {
      const passed = Array.isArray(act) ? act.some((a) => sameScalar(operand, a)) : (scalarText(act)?.includes(String(operand)) ?? false);
      out.push(leaf(at, `contains ${show(operand)}`, passed, act));
      return;
    }
    case '$eq':
      out.push(leaf(at, `equals exactly ${show(operand)}`, deepEqual(operand, act), act));
      return;
    case '$in': {
      const options = Array.isArray(operand) ? operand : [];
      out.push(leaf(at, `is one of ${show(options)}`, options.some((o) => sameScalar(o, act) || deepEqual(o, act)), act));
      return;
    }
    case '$not': {
      const inner = matchPartial(operand, act);
      out.push(leaf(at, `does not match ${show(operand)}`, !inner.every((l) => l.passed), act));
      return;
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const n = numberOf(act);
      const limit = Number(operand);
      const passed = n !== undefined && (op === '$gt' ? n > limit : op === '$gte' ? n >= limit : op === '$lt' ? n < limit : n <= limit);
      out.push(leaf(at, `${{ $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op]} ${limit}`, passed, act));
      return;
    }
    case '$count':
    case '$minCount':
    case '$maxCount': {
      const size = sizeOf(act);
      const want = Number(operand);
      const passed = op === '$count' ? size === want : op === '$minCount' ? size >= want : size <= want;
      const words = op === '$count' ? `${want} item(s)` : op === '$minCount' ? `at least ${want} item(s)` : `at most ${want} item(s)`;
      out.push({ path: at, expected: words, passed, ...(passed ? {} : { actual: act === undefined ? 'nothing' : `${size} item(s)` }) });
      return;
    }
    case '$some':
    case '$all':
    case '$none': {
      const items = Array.isArray(act) ? act : [];
      const verdicts = items.map((a) => matchPartial(operand, a));
      const good = verdicts.map((v) => v.every((l) => l.passed));
      const label = { $some: 'some element matches', $all: 'every element matches', $none: 'no element matches' }[op];
      const expected = `${label} ${show(operand)}`;
      if (op === '$some') {
        const passed = good.some(Boolean);
        out.push({ path: at, expected, passed, ...(passed ? {} : { actual: items.length ? closest(operand, items) : describeEmpty(act) }) });
      } else if (op === '$all') {
        const bad = good.indexOf(false);
        const passed = items.length > 0 && bad === -1;
        out.push({ path: at, expected, passed, ...(passed ? {} : { actual: items.length ? `element [${bad}] ${firstMiss(verdicts[bad]!, `${at}[${bad}]`)}` : describeEmpty(act) }) });
      } else {
        const hit = good.indexOf(true);
        out.push({ path: at, expected, passed: hit === -1, ...(hit === -1 ? {} : { actual: `element [${hit}] matches: ${show(items[hit])}` }) });
      }
      return;
    }
  }
}

function describeEmpty(act: unknown): string {
  return act === undefined ? 'nothing' : Array.isArray(act) ? 'an empty list' : `not a list: ${show(act)}`;
}

/** The element that came closest (most leaves passed) and its first difference. */
function closest(exp: unknown, items: unknown[]): string {
  let best = -1;
  let bestScore = -1;
  let bestLeaves: LeafResult[] = [];
  items.forEach((a, i) => {
    const leaves = matchPartial(exp, a);
    const score = leaves.filter((l) => l.passed).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
      bestLeaves = leaves;
    }
  });
  if (best < 0) return 'an empty list';
  return `no element matches (${items.length} element${items.length === 1 ? '' : 's'}); closest [${best}] ${firstMiss(bestLeaves, '')}`;
}

function firstMiss(leaves: LeafResult[], prefix: string): string {
  const miss = leaves.find((l) => !l.passed);
  if (!miss) return 'matches';
  const where = miss.path.startsWith(prefix) ? miss.path.slice(prefix.length).replace(/^\./, '') : miss.path;
  return `differs at ${where || '(value)'}: expected ${miss.expected}, got ${miss.actual ?? '?'}`;
}

function leaf(path: string, expected: string, passed: boolean, act: unknown): LeafResult {
  return passed ? { path, expected, passed } : { path, expected, passed, actual: act === undefined ? 'nothing' : show(act) };
}

/** Scalars equal by value: 3 equals "3", true equals "True" (condition statuses are strings). */
export function sameScalar(exp: unknown, act: unknown): boolean {
  if (exp === act) return true;
  if (act === undefined || act === null || typeof act === 'object' || typeof exp === 'object') return false;
  if (typeof exp === 'boolean' || typeof act === 'boolean') return String(exp).toLowerCase() === String(act).toLowerCase();
  return String(exp) === String(act);
}

/** Exact equality of whole values (no partial maps), scalars compared by value. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return sameScalar(a, b);
}

function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function sizeOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  if (typeof v === 'string') return v.length;
  return 0;
}

/** `a.b`, or `a["x.y/z"]` for keys that are not plain words (label keys). */
export function join(path: string, key: string): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Compact one-line rendering, YAML-flow-like: {name: shared, port: 80}. */
export function show(v: unknown, max = 80): string {
  const text = flow(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function flow(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return /^[\w./:@-]+$/.test(v) && !/^(true|false|null|\d+(\.\d+)?)$/i.test(v) ? v : JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
}

/**
 * `actual` reduced to the fields the expectation mentions, so a diff shows only
 * what was asserted. Lists keep every element, each pruned by the element
 * matchers (the plain list's elements and the operands of $some/$all/$none).
 */
export function prune(expected: unknown, actual: unknown): unknown {
  if (actual === undefined || actual === null) return actual;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return actual;
    const shape = mergeShapes(expected);
    return actual.map((a) => prune(shape, a));
  }
  if (!isMap(expected)) return actual;
  if (Object.keys(expected).length === 0) return isMap(actual) ? {} : actual;
  const elementShapes: unknown[] = [];
  const out: Obj = {};
  let whole = false;
  for (const [key, sub] of Object.entries(expected)) {
    if (key.startsWith('$')) {
      if (key === '$some' || key === '$all' || key === '$none') elementShapes.push(sub);
      else whole = true;
      continue;
    }
    if (isMap(actual) && key in actual) out[key] = prune(sub, actual[key]);
  }
  if (Array.isArray(actual)) {
    if (elementShapes.length === 0) return actual;
    const shape = mergeShapes(elementShapes);
    return actual.map((a) => prune(shape, a));
  }
  if (!isMap(actual)) return actual;
  if (whole && Object.keys(out).length === 0) return actual;
  return out;
}

/** One expectation covering the keys of several (for pruning list elements). */
function mergeShapes(shapes: unknown[]): unknown {
  const maps = shapes.filter(isMap);
  if (maps.length === 0) return shapes[0];
  const out: Obj = {};
  for (const m of maps) {
    for (const [k, v] of Object.entries(m)) {
      if (k.startsWith('$')) continue;
      out[k] = k in out ? mergeShapes([out[k], v]) : v;
    }
  }
  return Object.keys(out).length ? out : {};
}
