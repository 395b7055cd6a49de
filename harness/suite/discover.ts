// Which files a list of suite paths means: files as given, folders searched
// recursively for *.yaml / *.yml in a stable (byte-wise sorted) order.
// Assignments (suites/assignments/) check a student's own objects, so a plain
// `kconform run` must not pick them up: a folder named `assignments` is skipped
// when met inside a searched folder, and searched when named itself
// (`kconform run suites/assignments/lab1`, `kconform grade`).
import { readdir, stat } from 'node:fs/promises';
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
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) {
      problems.push({ file: abs, line: 0, column: 0, path: '', message: 'expected a suite file or folder, got nothing at this path' });
    } else if (info.isDirectory()) {
      const found = await walk(abs);
      if (found.length === 0) problems.push({ file: abs, line: 0, column: 0, path: '', message: 'expected suite files (*.yaml, *.yml) in this folder, got none' });
      files.push(...found);
    } else {
      files.push(abs);
    }
  }
  return { files: [...new Set(files)], problems };
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) out.push(...(await walk(full)));
    } else if (e.isFile() && isSuiteFileName(e.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Suites are YAML; the JSON Schema and notes beside them are not suites. */
export function isSuiteFileName(name: string): boolean {
  // kconform.config.yaml sits beside the suites but holds flags, not checks.
  return /\.ya?ml$/.test(name) && !/^kconform\.config\.ya?ml$/.test(name);
}
