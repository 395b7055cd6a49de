// Files a check's spec names in place of inline values (a kind's `files` in the kind
// list, e.g. networkPolicy's policies): found next to the suite or in fixtures/ and
// confined there like fixtures, every document checked with problems at that file's
// line and column, then put in place so the check's run gets a spec without files.
import type { Document, LineCounter } from 'yaml';
import { KINDS } from '../checks/kinds.ts';
import type { FileRef, SpecFiles } from '../checks/kind-list.ts';
import type { Suite } from './schema.ts';
import { locateFixtureFile, DEFAULT_FIXTURES_DIR } from './fixtures.ts';
import { issuesToFindings, markDefaultMessages } from './messages.ts';
import { positionOf } from './positions.ts';
import { formatPath, type SuiteProblem } from './problems.ts';
import { readTextFile, unreadable } from './read-text.ts';
import { parseYaml, toData } from './yaml-source.ts';

export interface SuiteText {
  /** The suite file, its parsed document and line counter: a reference's problems point there. */
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  /** Looked up first. */
  dir: string;
  /** Looked up second; defaults to <repo>/fixtures. */
  fixturesDir?: string;
}

type Read = { docs: unknown[] } | { problems: SuiteProblem[] };

/** A file read and checked on its own (not yet against a spec), kept for its other references. */
type Parsed = { docs: { data: unknown; doc: Document; lineCounter: LineCounter }[] } | { problems: SuiteProblem[] };

/**
 * Distinct files one suite may name this way. Each is read once however often it is named
 * (and files are read one at a time), so a suite of many references to big files cannot
 * make the loader hold gigabytes.
 */
export const MAX_SPEC_FILES = 100;

/** The suite with every file a check names put in place, or every problem found in them. */
export async function inlineSpecFiles(suite: Suite, at: SuiteText): Promise<{ suite: Suite } | { problems: SuiteProblem[] }> {
  const problems: SuiteProblem[] = [];
  const seen = new Map<string, Parsed>();
  const checks: Suite['checks'] = [];
  for (const [i, check] of suite.checks.entries()) {
    const files = KINDS[check.kind].files as SpecFiles<typeof check> | undefined;
    const refs = files?.refs(check) ?? [];
    if (!files || refs.length === 0) {
      checks.push(check);
      continue;
    }
    const docs: unknown[][] = [];
    for (const ref of refs) {
      const r = await readRef(ref, ['checks', i], check, files, at, seen);
      if ('problems' in r) problems.push(...r.problems);
      else docs.push(r.docs);
    }
    checks.push(docs.length === refs.length ? files.inline(check, docs) : check);
  }
  return problems.length > 0 ? { problems } : { suite: { ...suite, checks } };
}

async function readRef<S>(ref: FileRef, base: (string | number)[], spec: S, files: SpecFiles<S>, at: SuiteText, seen: Map<string, Parsed>): Promise<Read> {
  const refPath = [...base, ...ref.at, 'file'];
  const named = `(named by ${formatPath(refPath)})`;
  const inSuite = (message: string): Read => ({ problems: [{ file: at.file, ...positionOf(at.doc, at.lineCounter, refPath), path: formatPath(refPath), message }] });
  const found = await locateFixtureFile(ref.file, at.dir, at.fixturesDir ?? DEFAULT_FIXTURES_DIR);
  if ('problem' in found) return inSuite(found.problem);
  let parsed = seen.get(found.path);
  if (parsed === undefined) {
    if (seen.size >= MAX_SPEC_FILES) return inSuite(`expected at most ${MAX_SPEC_FILES} distinct files named in place of values in one suite, got more; put several documents in one file (---)`);
    const read = await readFile(ref, found.path, files, named);
    if ('empty' in read) return inSuite(read.empty);
    parsed = read;
    seen.set(found.path, parsed);
  } else if ('problems' in parsed) {
    // Said once, at the first reference.
    return { problems: [] };
  }
  if ('problems' in parsed) return parsed;
  // What only the spec can tell (e.g. the model's namespaces), for this reference.
  const problems = parsed.docs.flatMap(({ data, doc, lineCounter }) =>
    (files.check?.(data, spec) ?? []).map((p): SuiteProblem => ({ file: found.path, ...positionOf(doc, lineCounter, p.path), path: formatPath(p.path), message: `${p.message} ${named}` })),
  );
  return problems.length > 0 ? { problems } : { docs: parsed.docs.map((d) => d.data) };
}

/** Reads, parses and checks one file against the document schema. */
async function readFile<S>(ref: FileRef, file: string, files: SpecFiles<S>, named: string): Promise<Parsed | { empty: string }> {
  let read;
  try {
    read = await readTextFile(file);
  } catch (e) {
    return { empty: `'${ref.file}': ${unreadable(e as NodeJS.ErrnoException, `a file of ${files.holds}`)}` };
  }
  if ('problem' in read) return { problems: [{ file, line: read.problem.line, column: read.problem.column, path: '', message: `${read.problem.message} ${named}` }] };
  // Any file in the suite's folder may be named: its text is not quoted back (as for fixtures).
  const parsed = parseYaml(read.text, { quote: false });
  if (parsed.problems.length > 0) return { problems: parsed.problems.map((p) => ({ file, ...p.position, path: '', message: `${p.message} ${named}` })) };
  if (parsed.docs.length === 0) return { empty: `'${ref.file}' holds no YAML document; expected ${files.holds}` };
  const problems: SuiteProblem[] = [];
  const docs: { data: unknown; doc: Document; lineCounter: LineCounter }[] = [];
  for (const doc of parsed.docs) {
    const at = (path: PropertyKey[], message: string, where: 'value' | 'key' = 'value'): SuiteProblem => ({
      file,
      ...positionOf(doc, parsed.lineCounter, path, where),
      path: formatPath(path),
      message: `${message} ${named}`,
    });
    const converted = toData(doc);
    if ('error' in converted) {
      problems.push(at([], converted.error));
      continue;
    }
    const gate = files.gate(converted.data);
    if (gate !== undefined) {
      problems.push(at([], gate));
      continue;
    }
    const valid = files.document.safeParse(converted.data, { error: markDefaultMessages });
    if (!valid.success) problems.push(...issuesToFindings(valid.error.issues, converted.data).map((f) => at(f.path, f.message, f.at)));
    else docs.push({ data: valid.data, doc, lineCounter: parsed.lineCounter });
  }
  return problems.length > 0 ? { problems } : { docs };
}
