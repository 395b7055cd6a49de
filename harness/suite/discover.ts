// Which files a list of suite paths means: files as given, folders searched
// recursively for *.yaml / *.yml in a stable (byte-wise sorted) order.
// Assignments (suites/assignments/) check a student's own objects, so a plain
// `kconform run` must not pick them up: a folder named `assignments` is skipped
// when met inside a searched folder, and searched when named itself
// (`kconform run suites/assignments/lab1`, `kconform grade`).
// Symbolic links are followed when their target is inside the folder being
// searched (each file once); a link out of it, a broken link or a loop is a
// problem that says so, never a silent skip.
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SuiteProblem } from './problems.ts';

/** Folders that hold things other than suites (fixtures), or suites only run when asked for by name (assignments). */
const SKIPPED_DIRS = new Set(['fixtures', 'node_modules', 'assignments']);

export interface Discovery {
  files: string[];
  problems: SuiteProblem[];
}

export async function discoverSuiteFiles(paths: readonly string[]): Promise<Discovery> {
  const files: string[] = [];
  const problems: SuiteProblem[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    const problem = (message: string) => problems.push({ file: abs, line: 0, column: 0, path: '', message });
    let info;
    try {
      info = await stat(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problem(code === 'ELOOP' ? 'expected a suite file or folder, got a symbolic link loop (a link that points back at itself)' : 'expected a suite file or folder, got nothing at this path');
      continue;
    }
    if (info.isDirectory()) {
      const root = await realpath(abs);
      const before = problems.length;
      const found = await walk(abs, { root, seenDirs: new Set([root]), problems });
      if (found.length === 0 && problems.length === before) problem('expected suite files (*.yaml, *.yml) in this folder, got none');
      files.push(...found);
    } else {
      files.push(abs);
    }
  }
  // A file reached twice (named and linked) is one suite.
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const f of files) {
    const real = await realpath(f).catch(() => f);
    if (seen.has(real)) continue;
    seen.add(real);
    unique.push(f);
  }
  return { files: unique, problems };
}

interface Walk {
  /** Real path of the folder named by the user: links may point anywhere inside it. */
  root: string;
  seenDirs: Set<string>;
  problems: SuiteProblem[];
}

async function walk(dir: string, w: Walk): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isSymbolicLink()) {
      out.push(...(await followLink(full, e.name, w)));
    } else if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) out.push(...(await walk(full, w)));
    } else if (e.isFile() && isSuiteFileName(e.name)) {
      out.push(full);
    }
  }
  return out;
}

async function followLink(full: string, name: string, w: Walk): Promise<string[]> {
  const problem = (message: string): string[] => {
    w.problems.push({ file: full, line: 0, column: 0, path: '', message });
    return [];
  };
  let real: string;
  try {
    real = await realpath(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!isSuiteFileName(name) && code !== 'ELOOP') return []; // a broken link to something that is not a suite
    return problem(code === 'ELOOP' ? 'symbolic link loop (a link that points back at itself); expected a suite file' : 'broken symbolic link (its target does not exist); expected a suite file');
  }
  const info = await stat(real);
  if (info.isDirectory() ? SKIPPED_DIRS.has(name) : !(info.isFile() && isSuiteFileName(name))) return [];
  if (real !== w.root && !real.startsWith(w.root + path.sep)) {
    return problem(`symbolic link to ${real}, outside the folder being searched (${w.root}); not followed: name that ${info.isDirectory() ? 'folder' : 'file'} itself to use it`);
  }
  if (info.isFile()) return [full];
  if (w.seenDirs.has(real)) return []; // a link back to a folder already searched
  w.seenDirs.add(real);
  return walk(full, w);
}

/** Suites are YAML; the JSON Schema and notes beside them are not suites. */
export function isSuiteFileName(name: string): boolean {
  // kconform.config.yaml sits beside the suites but holds flags, not checks.
  return /\.ya?ml$/.test(name) && !/^kconform\.config\.ya?ml$/.test(name);
}
