// Which checks run: --filter / --grep / --grep-invert over `<suite>/<check>` ids,
// -l/--selector in kubectl's label-selector syntax over each check's labels, and
// --shard i/n. Pure; the planner applies it before anything is rendered.

/** One requirement of a label selector, as kubectl parses it. */
export type Requirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'in' | 'notIn'; values: string[] }
  | { key: string; op: '=' | '!='; values: [string] };

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

// A label key: optional DNS-subdomain prefix and a name of letters, digits, - _ . (Kubernetes' rule, loosened on length).
const KEY_RE = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const MAX_SELECTOR = 2_000;

/**
 * kubectl's selector grammar: requirements separated by commas (all must hold);
 * `key`, `!key`, `key=v`, `key==v`, `key!=v`, `key in (a,b)`, `key notin (a,b)`.
 * Errors name the column (1-based) and what was expected.
 */
export function parseSelector(text: string): Requirement[] {
  if (text.length > MAX_SELECTOR) throw new SelectorError(`selector longer than ${MAX_SELECTOR} characters`);
  const out: Requirement[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new SelectorError(`column ${i + 1}: ${what} in '${text}'`);
  };
  const skipSpace = () => {
    while (i < text.length && text[i] === ' ') i++;
  };
  const word = (): string => {
    const start = i;
    while (i < text.length && !' ,()=!'.includes(text[i]!)) i++;
    return text.slice(start, i);
  };
  const checkKey = (key: string, at: number) => {
    if (!KEY_RE.test(key)) {
      i = at;
      fail(key ? `invalid label key '${key}'` : 'expected a label key');
    }
  };
  const checkValue = (v: string, at: number) => {
    if (!VALUE_RE.test(v) || v.length > 63) {
      i = at;
      fail(`invalid label value '${v}'`);
    }
  };
  skipSpace();
  if (i === text.length) return out;
  for (;;) {
    skipSpace();
    if (text[i] === '!') {
      i++;
      skipSpace();
      const at = i;
      const key = word();
      checkKey(key, at);
      out.push({ key, op: 'notExists' });
    } else {
      const at = i;
      const key = word();
      checkKey(key, at);
      skipSpace();
      if (i >= text.length || text[i] === ',') {
        out.push({ key, op: 'exists' });
      } else if (text.startsWith('==', i) || text[i] === '=' || text.startsWith('!=', i)) {
        const op = text.startsWith('!=', i) ? '!=' : '=';
        i += text.startsWith('==', i) || op === '!=' ? 2 : 1;
        skipSpace();
        const vat = i;
        const value = word();
        checkValue(value, vat);
        out.push({ key, op, values: [value] });
      } else {
        const opAt = i;
        const op = word();
        if (op !== 'in' && op !== 'notin') {
          i = opAt;
          fail(`expected =, ==, !=, in or notin after '${key}'`);
        }
        skipSpace();
        if (text[i] !== '(') fail(`expected '(' after ${op}`);
        i++;
        const values: string[] = [];
        for (;;) {
          skipSpace();
          const vat = i;
          const v = word();
          checkValue(v, vat);
          values.push(v);
          skipSpace();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ')') {
            i++;
            break;
          }
          fail(`expected ',' or ')' in the value list of '${key}'`);
        }
        out.push({ key, op: op === 'in' ? 'in' : 'notIn', values });
      }
    }
    skipSpace();
    if (i >= text.length) break;
    if (text[i] !== ',') fail("expected ',' between requirements");
    i++;
  }
  return out;
}

/** Kubernetes semantics: `!=` and `notin` also match objects without the key. */
export function matchesSelector(reqs: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case 'notExists':
        return !has;
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v!);
      case 'notIn':
        return !has || !r.values.includes(v!);
    }
  });
}

/** A substring, or /regex/flags; used by --filter, --grep and --grep-invert. */
export function compilePattern(pattern: string, flag: string): (id: string) => boolean {
  const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  if (m) {
    let re: RegExp;
    try {
      re = new RegExp(m[1] ?? '', m[2]);
    } catch (err) {
      const why = err instanceof Error ? err.message.replace(/^Invalid (regular expression|flags)[^:]*: /, '') : String(err);
      throw new SelectorError(`${flag}: expected a substring or a /regular expression/, got '${pattern}' (${why})`);
    }
    return (id) => re.test(id);
  }
  return (id) => id.includes(pattern);
}

export interface Selection {
  /** --filter: substring or /regex/; a leading `!` excludes instead. */
  filter?: string;
  /** --grep: keep ids matching any of these. */
  grep?: string[];
  /** --grep-invert: drop ids matching any of these. */
  grepInvert?: string[];
  /** -l/--selector, already parsed; every one must match (repeated flags are ANDed). */
  selector?: Requirement[];
}

/** One predicate over (id, labels) for a whole selection; undefined when nothing narrows the run. */
export function compileSelection(s: Selection): ((id: string, labels: Readonly<Record<string, string>>) => boolean) | undefined {
  const keep: ((id: string) => boolean)[] = [];
  const drop: ((id: string) => boolean)[] = [];
  if (s.filter) {
    if (s.filter.startsWith('!')) drop.push(compilePattern(s.filter.slice(1), '--filter'));
    else keep.push(compilePattern(s.filter, '--filter'));
  }
  const grep = (s.grep ?? []).map((g) => compilePattern(g, '--grep'));
  const invert = (s.grepInvert ?? []).map((g) => compilePattern(g, '--grep-invert'));
  const selector = s.selector ?? [];
  if (!keep.length && !drop.length && !grep.length && !invert.length && !selector.length) return undefined;
  return (id, labels) =>
    keep.every((k) => k(id)) &&
    !drop.some((d) => d(id)) &&
    (grep.length === 0 || grep.some((g) => g(id))) &&
    !invert.some((g) => g(id)) &&
    matchesSelector(selector, labels);
}

/** What narrowed the run, for "no checks selected by ...". */
export function describeSelection(s: Selection): string {
  const parts = [
    s.filter ? `--filter ${s.filter}` : '',
    ...(s.grep ?? []).map((g) => `--grep ${g}`),
    ...(s.grepInvert ?? []).map((g) => `--grep-invert ${g}`),
    s.selector?.length ? `--selector ${formatSelector(s.selector)}` : '',
  ].filter(Boolean);
  return parts.join(' ');
}

export function formatSelector(reqs: readonly Requirement[]): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case 'notExists':
          return `!${r.key}`;
        case '=':
        case '!=':
          return `${r.key}${r.op}${r.values[0]}`;
        case 'in':
          return `${r.key} in (${r.values.join(',')})`;
        case 'notIn':
          return `${r.key} notin (${r.values.join(',')})`;
      }
    })
    .join(',');
}

export interface Shard {
  /** 1-based, as users write it (Playwright's --shard 1/3). */
  index: number;
  total: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) throw new SelectorError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/3), got '${text}'`);
  return { index, total };
}

/**
 * The shard's part of an ordered list: contiguous, sizes differ by at most one,
 * the larger parts first; the same input always gives the same split. Contiguous
 * keeps a suite's checks together, so a shard applies each suite's fixtures once.
 */
export function shardSlice<T>(items: readonly T[], shard: Shard): T[] {
  const base = Math.floor(items.length / shard.total);
  const extra = items.length % shard.total;
  const i = shard.index - 1;
  const start = i * base + Math.min(i, extra);
  const size = base + (i < extra ? 1 : 0);
  return items.slice(start, start + size);
}

interface SuiteLike {
  suite: { name: string; labels?: Record<string, string> | undefined; checks: readonly { kind: string; name?: string | undefined; labels?: Record<string, string> | undefined }[] };
}

/**
 * The checks a run keeps, in suite and check order, each with its labels:
 * built-in labels, then the suite's, then the check's own (later wins, except
 * that kind, suite, destructive and privileged always say the truth).
 * `only` (--rerun-failed), the filter and selection narrow; the shard cuts last.
 */
export function chooseChecks<Spec extends SuiteLike['suite']['checks'][number]>(
  suites: readonly { suite: { name: string; labels?: Record<string, string> | undefined; checks: readonly Spec[] } }[],
  options: { filter?: string; only?: Set<string>; selection?: Selection; shard?: Shard },
  builtIn?: (spec: Spec, suite: string) => Record<string, string>,
): Map<string, Record<string, string>> {
  const select = compileSelection({ ...options.selection, ...(options.filter ? { filter: options.filter } : {}) });
  const kept: [string, Record<string, string>][] = [];
  for (const { suite } of suites) {
    for (const spec of suite.checks) {
      const id = `${suite.name}/${spec.name ?? spec.kind}`;
      if (options.only && !options.only.has(id)) continue;
      const own = builtIn?.(spec, suite.name) ?? { kind: spec.kind, suite: suite.name };
      const truth = Object.fromEntries(Object.entries(own).filter(([k]) => TRUTHFUL.has(k)));
      const labels = { ...own, ...suite.labels, ...spec.labels, ...truth };
      if (select && !select(id, labels)) continue;
      kept.push([id, labels]);
    }
  }
  return new Map(options.shard ? shardSlice(kept, options.shard) : kept);
}

/** Built-in labels a suite cannot override: selecting `!destructive` must never let a drain through. */
const TRUTHFUL = new Set(['kind', 'suite', 'destructive', 'privileged']);
