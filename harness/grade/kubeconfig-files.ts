// Which files of a grading folder are kubeconfigs. A folder handed in by a class
// also holds README.md, a spreadsheet, a .zip...: only files that parse as a
// kubeconfig (a YAML or JSON map, kind Config or none, a non-empty clusters
// list and a contexts list) are graded; the rest are listed with the reason.
// Contents are never printed (they hold credentials).
import { open } from 'node:fs/promises';
import { parse } from 'yaml';
import type { StudentConfig } from './batch.ts';

export interface SkippedFile {
  file: string;
  reason: string;
}

const MAX_BYTES = 1024 * 1024;

/** Why `text` is not a kubeconfig, or undefined when it is one. */
export function notAKubeconfig(text: string): string | undefined {
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    const line = /at line (\d+)/.exec((err as Error).message)?.[1];
    return `not YAML or JSON${line ? ` (line ${line})` : ''}`;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'not a kubeconfig: not a map of settings';
  const o = data as Record<string, unknown>;
  if (o.kind !== undefined && o.kind !== 'Config') return `not a kubeconfig: kind is ${JSON.stringify(o.kind).slice(0, 40)}, expected Config`;
  if (!Array.isArray(o.clusters) || o.clusters.length === 0) return 'not a kubeconfig: no clusters';
  if (!Array.isArray(o.contexts) || o.contexts.length === 0) return 'not a kubeconfig: no contexts';
  return undefined;
}

async function readBounded(file: string): Promise<string | { tooBig: true }> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size > MAX_BYTES) return { tooBig: true };
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

/** Splits discovered files into kubeconfigs (graded) and the rest (listed). */
export async function keepKubeconfigs(candidates: StudentConfig[]): Promise<{ students: StudentConfig[]; skipped: SkippedFile[] }> {
  const students: StudentConfig[] = [];
  const skipped: SkippedFile[] = [];
  for (const c of candidates) {
    let text: string | { tooBig: true };
    try {
      text = await readBounded(c.file);
    } catch (err) {
      skipped.push({ file: c.file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      continue;
    }
    const reason = typeof text === 'string' ? (text.includes('\u0000') ? 'a binary file' : notAKubeconfig(text)) : `larger than ${MAX_BYTES / 1024} KiB: not a kubeconfig`;
    if (reason) skipped.push({ file: c.file, reason });
    else students.push(c);
  }
  return { students, skipped };
}
