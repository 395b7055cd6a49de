// Fixture templating: `{{ name }}` placeholders, dotted names for groups
// (`{{ vars.port }}`), and `{{'{{'}}` to write a literal `{{`. Deliberately tiny:
// no logic, no filters; an unknown name is an error, never an empty string.
import { closestMatch } from './did-you-mean.ts';
import { SuiteError } from './problems.ts';
import type { SuiteProblem } from './problems.ts';

export const BUILTIN_VARS = ['namespace', 'runId', 'nonce', 'suite', 'agnhostImage'] as const;

export type TemplateValue = string | number | boolean;
export interface TemplateVars {
  [name: string]: TemplateValue | TemplateVars;
}

/**
 * Where a template text sits, so problems point into the real file. Text line 1
 * starts at `line`:`column`; later lines start at column `indent + 1` (a YAML
 * block scalar is indented by `indent` spaces).
 */
export interface TextOrigin {
  file: string;
  line?: number;
  column?: number;
  indent?: number;
  /** Shown before the message, e.g. `fixtures[0].inline`. */
  path?: string;
  /** A file the suite names, not the suite's own text: messages never quote it. */
  opaque?: boolean;
}

export interface Builtins {
  namespace: string;
  runId: string;
  nonce: string;
  suite: string;
  /** The probe image (agnhost), offline-built or from the registry. */
  agnhostImage: string;
}

/** The variables a suite's fixtures see: builtins, plus the suite's vars both bare and as `vars.x`. */
export function templateVars(builtins: Builtins, suiteVars: Record<string, TemplateValue> = {}): TemplateVars {
  // Builtins win over a suite var of the same name (the loader rejects such names anyway).
  const bare = Object.entries(suiteVars).filter(([k]) => !Object.hasOwn(builtins, k) && k !== 'vars');
  return { ...builtins, ...Object.fromEntries(bare), vars: { ...suiteVars } };
}

/** Every name a placeholder may use, dotted, sorted builtins first. */
export function knownNames(vars: TemplateVars, prefix = ''): string[] {
  return Object.entries(vars).flatMap(([k, v]) => (typeof v === 'object' ? knownNames(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

export function renderTemplate(text: string, vars: TemplateVars, origin: TextOrigin): string {
  const problems: SuiteProblem[] = [];
  let out = '';
  let last = 0;
  for (const p of scanPlaceholders(text)) {
    out += text.slice(last, p.start);
    last = p.end;
    if (p.literal !== undefined) {
      out += p.literal;
      continue;
    }
    const value = p.name === undefined ? undefined : lookup(vars, p.name);
    if (p.name !== undefined && value !== undefined && typeof value !== 'object') {
      out += String(value);
      continue;
    }
    problems.push(problemAt(text, p, origin, knownNames(vars), value));
  }
  if (problems.length > 0) throw new SuiteError(problems);
  return out + text.slice(last);
}

interface Placeholder {
  start: number;
  end: number;
  name?: string;
  literal?: string;
  /** The source text when the placeholder is malformed. */
  raw?: string;
}

const PLACEHOLDER = /\{\{\s*(?:'([^'\n]*)'|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*))\s*\}\}/y;

function scanPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  let at = text.indexOf('{{');
  while (at !== -1) {
    PLACEHOLDER.lastIndex = at;
    const m = PLACEHOLDER.exec(text);
    if (m) {
      found.push({ start: at, end: PLACEHOLDER.lastIndex, ...(m[1] !== undefined ? { literal: m[1] } : { name: m[2] }) });
      at = text.indexOf('{{', PLACEHOLDER.lastIndex);
    } else {
      const close = text.indexOf('}}', at);
      const eol = text.indexOf('\n', at);
      const end = close !== -1 && (eol === -1 || close < eol) ? close + 2 : eol === -1 ? text.length : eol;
      found.push({ start: at, end, raw: text.slice(at, end) });
      at = text.indexOf('{{', end);
    }
  }
  return found;
}

function lookup(vars: TemplateVars, name: string): TemplateValue | TemplateVars | undefined {
  let cur: TemplateValue | TemplateVars | undefined = vars;
  for (const part of name.split('.')) {
    if (cur === undefined || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function problemAt(text: string, p: Placeholder, origin: TextOrigin, names: readonly string[], value: unknown): SuiteProblem {
  const { line, column } = positionInOrigin(text, p.start, origin);
  const known = `known: ${names.join(', ')}`;
  let message: string;
  if (p.name === undefined) {
    const got = origin.opaque ? 'a malformed one here' : `'${p.raw ?? ''}'`;
    message = `expected a placeholder like {{ namespace }} (or {{'{{'}} for a literal {{), got ${got}`;
  } else if (value !== undefined) {
    message = `'${p.name}' is a group of variables, not a value; expected one of: ${names.filter((n) => n.startsWith(`${p.name}.`)).join(', ')}`;
  } else {
    const close = closestMatch(p.name, names);
    message = `unknown template variable '${p.name}'${close ? `; did you mean '${close}'? ` : '; '}${known}`;
  }
  return { file: origin.file, line, column, path: origin.path ?? '', message };
}

/** Line and column in the origin's file of an offset into the template text. */
export function positionInOrigin(text: string, offset: number, origin: TextOrigin): { line: number; column: number } {
  const before = text.slice(0, offset);
  return mapToOrigin(origin, before.split('\n').length, offset - before.lastIndexOf('\n'));
}

/** Line and column in the origin's file of a 1-based line and column in the text. */
export function mapToOrigin(origin: TextOrigin, lineInText: number, columnInText: number): { line: number; column: number } {
  const line = (origin.line ?? 1) + lineInText - 1;
  const column = lineInText === 1 ? (origin.column ?? 1) + columnInText - 1 : (origin.indent ?? 0) + columnInText;
  return { line, column };
}
