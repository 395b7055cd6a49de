// The one error type of the suite front end: a list of problems, each pointing at
// a file position, printed one per line as `file:line:col path: message`.
import path from 'node:path';

export interface SuiteProblem {
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. the file cannot be read). */
  line: number;
  /** 1-based; 0 when the problem has no position. */
  column: number;
  /** Where in the document, e.g. `checks[2].timeout`; empty for the whole file. */
  path: string;
  /** A sentence saying what was expected and what was found. */
  message: string;
}

export class SuiteError extends Error {
  override readonly name = 'SuiteError';
  readonly problems: readonly SuiteProblem[];
  constructor(problems: SuiteProblem[]) {
    const sorted = sortProblems(problems);
    super(formatProblems(sorted));
    this.problems = sorted;
  }

  /** One line per problem, e.g. `suites/net.yaml:14:9 checks[2].timeout: expected ..., got 'soon'`. */
  format(): string {
    return formatProblems(this.problems);
  }
}

/** Lines kept short and few, so a hostile file cannot flood the terminal. */
const MAX_LINE = 500;
const MAX_PER_FILE = 50;

function formatProblems(problems: readonly SuiteProblem[]): string {
  const lines: string[] = [];
  const perFile = new Map<string, number>();
  for (const p of problems) {
    const n = (perFile.get(p.file) ?? 0) + 1;
    perFile.set(p.file, n);
    if (n <= MAX_PER_FILE) lines.push(formatProblem(p));
  }
  for (const [file, n] of perFile) if (n > MAX_PER_FILE) lines.push(`${displayPath(file)} ${n - MAX_PER_FILE} more problem(s) not shown`);
  return lines.join('\n');
}

export function formatProblem(p: SuiteProblem): string {
  const where = p.line > 0 ? `${displayPath(p.file)}:${p.line}:${p.column}` : displayPath(p.file);
  const line = p.path ? `${where} ${p.path}: ${p.message}` : `${where} ${p.message}`;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}

/** Relative to the working directory when the file is inside it, so messages stay short. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `['checks', 2, 'timeout']` -> `checks[2].timeout`; keys that are not plain words are quoted. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(s))) out += out ? `.${String(s)}` : String(s);
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

function sortProblems(problems: SuiteProblem[]): SuiteProblem[] {
  return [...problems].sort(
    (a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.path, b.path),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
