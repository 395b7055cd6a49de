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

/** The suite with every file a check names put in place, or every problem found in them. */
export async function inlineSpecFiles(suite: Suite, at: SuiteText): Promise<{ suite: Suite } | { problems: SuiteProblem[] }> {
  const problems: SuiteProblem[] = [];
  const checks = await Promise.all(
    suite.checks.map(async (check, i) => {
      const files = KINDS[check.kind].files as SpecFiles<typeof check> | undefined;
      if (!files) return check;
      const refs = files.refs(check);
      if (refs.length === 0) return check;
      const read = await Promise.all(refs.map((ref) => readRef(ref, ['checks', i], check, files, at)));
      const docs: unknown[][] = [];
      for (const r of read) {
        if ('problems' in r) problems.push(...r.problems);
        else docs.push(r.docs);
      }
      return docs.length === refs.length ? files.inline(check, docs) : check;
    }),
  );
  return problems.length > 0 ? { problems } : { suite: { ...suite, checks } };
}

async function readRef<S>(ref: FileRef, base: (string | number)[], spec: S, files: SpecFiles<S>, at: SuiteText): Promise<Read> {
  const refPath = [...base, ...ref.at, 'file'];
  const inSuite = (message: string): Read => ({ problems: [{ file: at.file, ...positionOf(at.doc, at.lineCounter, refPath), path: formatPath(refPath), message }] });
  const found = await locateFixtureFile(ref.file, at.dir, at.fixturesDir ?? DEFAULT_FIXTURES_DIR);
  if ('problem' in found) return inSuite(found.problem);
  let read;
  try {
    read = await readTextFile(found.path);
  } catch (e) {
    return inSuite(`'${ref.file}': ${unreadable(e as NodeJS.ErrnoException, `a file of ${files.holds}`)}`);
  }
  const file = found.path;
  const named = `(named by ${formatPath(refPath)})`;
  if ('problem' in read) return { problems: [{ file, line: read.problem.line, column: read.problem.column, path: '', message: `${read.problem.message} ${named}` }] };
  // Any file in the suite's folder may be named: its text is not quoted back (as for fixtures).
  const parsed = parseYaml(read.text, { quote: false });
  if (parsed.problems.length > 0) return { problems: parsed.problems.map((p) => ({ file, ...p.position, path: '', message: `${p.message} ${named}` })) };
  if (parsed.docs.length === 0) return inSuite(`'${ref.file}' holds no YAML document; expected ${files.holds}`);
  const problems: SuiteProblem[] = [];
  const docs: unknown[] = [];
  for (const doc of parsed.docs) {
    const at = (path: (string | number | symbol)[], message: string, where: 'value' | 'key' = 'value'): SuiteProblem => ({
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
    const data = converted.data;
    const gate = files.gate(data);
    if (gate !== undefined) {
      problems.push(at([], gate));
      continue;
    }
    const valid = files.document.safeParse(data, { error: markDefaultMessages });
    if (!valid.success) {
      problems.push(...issuesToFindings(valid.error.issues, data).map((f) => at(f.path, f.message, f.at)));
      continue;
    }
    const more = files.check?.(valid.data, spec) ?? [];
    problems.push(...more.map((p) => at(p.path, p.message)));
    if (more.length === 0) docs.push(valid.data);
  }
  return problems.length > 0 ? { problems } : { docs };
}
