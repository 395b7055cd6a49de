// Suite files -> validated suites, or one SuiteError listing every problem with
// file:line:col. Nothing here talks to a cluster; defaults are left for the planner.
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { Suite } from './schema.ts';
import { discoverSuiteFiles } from './discover.ts';
import { checkFixtures } from './fixture-checks.ts';
import type { Finding } from './messages.ts';
import { positionOf, scalarTextStart } from './positions.ts';
import { SuiteError, displayPath, formatPath } from './problems.ts';
import type { SuiteProblem } from './problems.ts';
import type { TextOrigin } from './template.ts';
import { validateSuiteData } from './validate.ts';
import { inlineSpecFiles } from './spec-files.ts';
import { parseYaml, toData } from './yaml-source.ts';
import { decodeText, readTextFile, unreadable } from './read-text.ts';
import { BOUNDS } from './input-bounds.ts';

export { SuiteError } from './problems.ts';
export type { SuiteProblem } from './problems.ts';

export interface LoadedSuite {
  /** Absolute path of the suite file. */
  file: string;
  /** Its folder; fixture files are looked up here first. */
  dir: string;
  /**
   * As written: defaults are NOT filled in (the planner does that). Files a check names
   * in place of inline values (networkPolicy's policy files) are read and put in place.
   */
  suite: Suite;
  source: string;
  /** Per fixture (same index): where it sits in the suite file, for loadFixture's ctx.origin. */
  fixtureOrigins: TextOrigin[];
}

export interface LoadOptions {
  /** Second place `file:` fixtures are looked up; defaults to <repo>/fixtures. */
  fixturesDir?: string;
}

export async function loadSuiteFile(file: string, options: LoadOptions = {}): Promise<LoadedSuite> {
  return (await loadOne(path.resolve(file), options)).loaded;
}

/** Files and folders (searched recursively); every problem of every file in one SuiteError. */
export async function loadSuites(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedSuite[]> {
  const { files, problems } = await discoverSuiteFiles(paths);
  const loaded: Located[] = [];
  for (const file of files) {
    try {
      loaded.push(await loadOne(file, options));
    } catch (e) {
      if (!(e instanceof SuiteError)) throw e;
      problems.push(...e.problems);
    }
  }
  problems.push(...duplicateSuiteNames(loaded));
  if (problems.length > 0) throw new SuiteError(problems);
  return loaded.map((l) => l.loaded);
}

interface Located {
  loaded: LoadedSuite;
  doc: Document;
  lineCounter: LineCounter;
}

async function loadOne(file: string, options: LoadOptions): Promise<Located> {
  const fail = (line: number, column: number, p: string, message: string): never => {
    throw new SuiteError([{ file, line, column, path: p, message }]);
  };
  const read = await readTextFile(file).catch((e: NodeJS.ErrnoException) => fail(0, 0, '', unreadable(e, 'a suite file')));
  if ('problem' in read) return fail(read.problem.line, read.problem.column, '', read.problem.message);
  return fromSource(file, read.text, options);
}

/**
 * A suite from YAML text that is not in a file of its own (the public API: a suite
 * written in a test). `file` names it in problems and is where `file:` fixtures are
 * looked up from (its folder); it need not exist.
 */
export async function loadSuiteSource(source: string, file: string, options: LoadOptions = {}): Promise<LoadedSuite> {
  const abs = path.resolve(file);
  // The same bound and encoding rules as a file's.
  const read = decodeText(Buffer.from(source, 'utf8'));
  const problem = Buffer.byteLength(source) > BOUNDS.fileBytes ? { line: 1, column: 1, message: `expected a suite of at most ${BOUNDS.fileBytes} bytes, got ${Buffer.byteLength(source)}` } : 'problem' in read ? read.problem : undefined;
  if (problem) throw new SuiteError([{ file: abs, ...problem, path: '' }]);
  return (await fromSource(abs, source, options)).loaded;
}

async function fromSource(file: string, source: string, options: LoadOptions): Promise<Located> {
  const fail = (line: number, column: number, p: string, message: string): never => {
    throw new SuiteError([{ file, line, column, path: p, message }]);
  };
  const { docs, lineCounter, problems } = parseYaml(source);
  if (problems.length > 0) throw new SuiteError(problems.map((p) => ({ file, ...p.position, path: '', message: p.message })));
  const [doc, second] = docs;
  if (doc === undefined) return fail(1, 1, '', 'expected a suite: a map with at least name and checks, got an empty file');
  if (second !== undefined) {
    const { line, col } = lineCounter.linePos(second.contents?.range?.[0] ?? 0);
    fail(line, col, '', `expected one suite per file, got ${docs.length} YAML documents; put each suite in its own file`);
  }
  const converted = toData(doc);
  if ('error' in converted) return fail(1, 1, '', converted.error);
  const data = converted.data;
  const result = validateSuiteData(data);
  if (!result.ok) throw new SuiteError(result.findings.map((f) => problemAt(file, doc, lineCounter, f)));
  const fixtureOrigins = originsOf(result.suite, file, doc, lineCounter, source);
  const dir = path.dirname(file);
  const fixtureProblems = await checkFixtures(result.suite, fixtureOrigins, dir, options.fixturesDir);
  const filed = await inlineSpecFiles(result.suite, { file, doc, lineCounter, dir, ...(options.fixturesDir ? { fixturesDir: options.fixturesDir } : {}) });
  if (fixtureProblems.length > 0 || 'problems' in filed) throw new SuiteError([...fixtureProblems, ...('problems' in filed ? filed.problems : [])]);
  return { loaded: { file, dir, suite: filed.suite, source, fixtureOrigins }, doc, lineCounter };
}

function problemAt(file: string, doc: Document, lineCounter: LineCounter, f: Finding): SuiteProblem {
  return { file, ...positionOf(doc, lineCounter, f.path, f.at), path: formatPath(f.path), message: f.message };
}

function originsOf(suite: Suite, file: string, doc: Document, lineCounter: LineCounter, source: string): TextOrigin[] {
  return (suite.fixtures ?? []).map((fixture, i) => {
    const key = 'file' in fixture ? 'file' : 'inline';
    const at = ['fixtures', i, key];
    const start = key === 'inline' ? scalarTextStart(doc, lineCounter, source, at) : positionOf(doc, lineCounter, at);
    return { file, ...start, path: formatPath(at) };
  });
}

/** Each suite gets namespace kconform-<name>-<runid>, so two suites may not share a name. */
function duplicateSuiteNames(loaded: readonly Located[]): SuiteProblem[] {
  const first = new Map<string, string>();
  const problems: SuiteProblem[] = [];
  for (const { loaded: l, doc, lineCounter } of loaded) {
    const other = first.get(l.suite.name);
    if (other === undefined) {
      first.set(l.suite.name, l.file);
      continue;
    }
    const message = `duplicate suite name '${l.suite.name}', already used by ${displayPath(other)}; expected a unique name (it names the namespace)`;
    problems.push({ file: l.file, ...positionOf(doc, lineCounter, ['name']), path: 'name', message });
  }
  return problems;
}
