// Turns zod issues into sentences that say what was expected and what was found.
// zod's own default messages are replaced: a parse-level error map marks them
// (DEFAULT_MARK), while messages written in the schema are kept and completed.
import { didYouMean } from './did-you-mean.ts';
import { describeType, describeValue } from './describe.ts';

export interface Finding {
  path: PropertyKey[];
  message: string;
  /** Point at the key itself (unknown keys) rather than at its value. */
  at: 'value' | 'key';
}

/** The parts of a zod 4 issue this module reads (codes and fields as zod documents them). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  errors?: Issue[][];
  issues?: Issue[];
  discriminator?: string;
  options?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: string;
  divisor?: number;
}

const DEFAULT_MARK = '\u0000';

/** What the error map learns from the schema that the finished issue no longer carries. */
interface Mark {
  /** The keys an object accepts (for unknown keys). */
  known?: string[];
  /** The number must be whole (z.int() reports its type as plain "number"). */
  int?: boolean;
}

/**
 * Pass as `error` to safeParse: zod falls back to it only where the schema wrote
 * no message, so the mark tells default messages from the schema's own.
 */
export function markDefaultMessages(raw: { code: string; inst?: unknown }): string {
  const def = (raw.inst as { _zod?: { def?: { shape?: object; format?: string } } } | undefined)?._zod?.def;
  const mark: Mark = {};
  if (raw.code === 'unrecognized_keys' && def?.shape) mark.known = Object.keys(def.shape);
  if (def?.format === 'safeint' || def?.format === 'int32') mark.int = true;
  return DEFAULT_MARK + JSON.stringify(mark);
}

function markOf(issue: Issue): Mark {
  if (!issue.message.startsWith(DEFAULT_MARK)) return {};
  try {
    return JSON.parse(issue.message.slice(DEFAULT_MARK.length)) as Mark;
  } catch {
    return {};
  }
}

export function issuesToFindings(issues: readonly unknown[], data: unknown): Finding[] {
  return issues.flatMap((i) => findingsOf(i as Issue, data, []));
}

function findingsOf(issue: Issue, data: unknown, base: PropertyKey[]): Finding[] {
  const path = [...base, ...issue.path];
  const found = valueAt(data, path);
  const own = !issue.message.startsWith(DEFAULT_MARK);
  const withGot = (expected: string, got: string): Finding[] => [{ path, at: 'value', message: `${expected}, got ${got}` }];
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeys(path, issue.keys ?? [], knownKeysOf(issue));
    case 'invalid_union':
      return issue.discriminator !== undefined ? noSuchVariant(issue, path, found) : unionFindings(issue, data, path, found);
    case 'invalid_type':
      if (path.length === 0) return withGot('expected a suite: a map with at least name and checks', describeType(found));
      if (own) return withGot(issue.message, describeType(found));
      if (markOf(issue).int || issue.expected === 'int') return withGot('expected a whole number', typeof found === 'number' ? String(found) : describeType(found));
      return withGot(`expected ${typePhrase(issue.expected)}`, describeType(found));
    case 'invalid_value':
      return withGot(own ? issue.message : `expected ${listOr(issue.values ?? [])}`, describeType(found) + suggestion(found, issue.values));
    case 'too_small':
    case 'too_big':
      return withGot(own ? issue.message : sizePhrase(issue), sizeOf(issue, found));
    case 'invalid_format':
      return withGot(own ? issue.message : formatPhrase(issue), describeValue(found));
    case 'not_multiple_of':
      return withGot(own ? issue.message : `expected a multiple of ${issue.divisor}`, describeValue(found));
    case 'invalid_key':
    case 'invalid_element':
      return (issue.issues ?? []).flatMap((i) => findingsOf(i, data, path));
    default:
      return [{ path, at: 'value', message: own ? issue.message : `unexpected value ${describeValue(found)}` }];
  }
}

function unknownKeys(path: PropertyKey[], keys: readonly string[], known: readonly string[]): Finding[] {
  return keys.map((key) => {
    const hint = didYouMean(key, known) || (known.length > 0 ? `; expected one of: ${known.join(', ')}` : '');
    return { path: [...path, key], at: 'key', message: `unknown key '${key}'${hint}` };
  });
}

function knownKeysOf(issue: Issue): string[] {
  return markOf(issue).known ?? [];
}

/** A discriminated union whose discriminator (a check's `kind`) matched no option. */
function noSuchVariant(issue: Issue, path: PropertyKey[], found: unknown): Finding[] {
  const options = (issue.options ?? []).map(String);
  const what = issue.discriminator === 'kind' && path.includes('checks') ? 'check kind' : String(issue.discriminator);
  if (typeof found === 'string') {
    const hint = didYouMean(found, options);
    const message = `unknown ${what} '${found}'${hint ? `${hint} ` : '; '}expected one of: ${options.join(', ')}`;
    return [{ path, at: 'value', message }];
  }
  const expected = issue.message.startsWith(DEFAULT_MARK) ? `expected ${what} to be one of: ${options.join(', ')}` : issue.message;
  return [{ path, at: 'value', message: `${expected}, got ${describeType(found)}` }];
}

/**
 * A plain union (e.g. a fixture is {file} or {inline}). Report the branch the author
 * most likely meant: the one of the right type with the fewest problems. On a tie,
 * keys no branch knows are the likely mistake; otherwise say what the union wants.
 */
function unionFindings(issue: Issue, data: unknown, path: PropertyKey[], found: unknown): Finding[] {
  const branches = (issue.errors ?? []).map((errs) => ({ errs, findings: errs.flatMap((e) => findingsOf(e, data, path)) }));
  const typed = branches.filter((b) => !(b.errs.length === 1 && b.errs[0]?.code === 'invalid_type' && b.errs[0].path.length === 0));
  if (typed.length > 0) {
    const fewest = Math.min(...typed.map((b) => b.findings.length));
    const best = typed.filter((b) => b.findings.length === fewest);
    if (best.length === 1 && best[0]) return best[0].findings;
    const unknownEverywhere = intersect(best.map((b) => rootUnknownKeys(b.errs)));
    if (unknownEverywhere.length > 0) {
      const known = [...new Set(best.flatMap((b) => b.errs.filter(isRootUnknown).flatMap(knownKeysOf)))];
      return unknownKeys(path, unknownEverywhere, known);
    }
  }
  if (!issue.message.startsWith(DEFAULT_MARK)) return [{ path, at: 'value', message: `${issue.message}, got ${describeType(found)}` }];
  const expected = branches.every((b) => !typed.includes(b))
    ? listOr(branches.map((b) => typePhrase(b.errs[0]?.expected)))
    : 'one of the allowed forms';
  return [{ path, at: 'value', message: `expected ${expected}, got ${describeType(found)}` }];
}

function isRootUnknown(i: Issue): boolean {
  return i.code === 'unrecognized_keys' && i.path.length === 0;
}

function rootUnknownKeys(errs: Issue[]): string[] {
  return errs.filter(isRootUnknown).flatMap((i) => i.keys ?? []);
}

function intersect(lists: string[][]): string[] {
  const [first = [], ...rest] = lists;
  return first.filter((k) => rest.every((l) => l.includes(k)));
}

function suggestion(found: unknown, values: unknown[] | undefined): string {
  return typeof found === 'string' ? didYouMean(found, (values ?? []).map(String)) : '';
}

function typePhrase(expected: string | undefined): string {
  switch (expected) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'a boolean (true or false)';
    case 'array': return 'a list';
    case 'object':
    case 'record':
    case 'map': return 'a map';
    case undefined: return 'a value';
    default: return `a ${expected}`;
  }
}

function listOr(values: readonly unknown[]): string {
  const words = values.map(String);
  return words.length <= 1 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function sizePhrase(issue: Issue): string {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  const bound = issue.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most';
  if (issue.origin === 'string') return `expected ${bound} ${limit} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `expected ${bound} ${limit} items`;
  return `expected ${bound} ${limit}`;
}

function sizeOf(issue: Issue, found: unknown): string {
  if (issue.origin === 'string' && typeof found === 'string') return found === '' ? 'an empty string' : `${found.length} characters`;
  return describeValue(found);
}

function formatPhrase(issue: Issue): string {
  return issue.format === 'regex' && issue.pattern ? `expected text matching ${issue.pattern}` : `expected ${issue.format ?? 'a valid value'}`;
}

/** The value at a path in plain data, or undefined where the path leads nowhere. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}
