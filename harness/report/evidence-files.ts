// A failed (or errored) check's evidence as files under
// <root>/<suite>/<check>/, so the console can point at one path:
//   summary.txt          reason, hint, assertions, attempts and every evidence item as text
//   events.txt           the events evidence (when there is any)
//   <pod>.<container>.log  each pod log, whole
//   data.json            the check result itself (redacted)
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult, Evidence } from '../results/model.ts';
import type { Reporter } from './reporter.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { renderCheckDetail, renderEvidenceList } from './evidence-text.ts';
import { redactDeep, redactText } from './redact.ts';

/** A name made safe as one path segment: no separators, no dot-only names. */
export function safeSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return s === '' ? '_' : s.slice(0, 100);
}

/** Where a check's evidence goes, with a trailing separator ("a folder"). */
export function evidenceDirOf(root: string, suite: string, check: string): string {
  return join(root, safeSegment(suite), safeSegment(check)) + '/';
}

export function wantsEvidenceFiles(result: CheckResult): boolean {
  return result.status === 'fail' || result.status === 'error';
}

/** Writes the files and returns the folder. */
export async function writeCheckEvidence(root: string, input: CheckResult): Promise<string> {
  const result = redactDeep(input);
  const dir = evidenceDirOf(root, result.suite, result.name);
  await clearOwnFolder(dir);
  const files = new Map<string, string>();
  files.set('summary.txt', redactText(renderCheckDetail(result)) + '\n');
  const events = result.evidence.filter((e) => e.kind === 'events');
  if (events.length) files.set('events.txt', redactText(renderEvidenceList(events)) + '\n');
  for (const log of result.evidence.filter((e): e is Extract<Evidence, { kind: 'logs' }> => e.kind === 'logs')) {
    const base = `${safeSegment(log.pod)}.${safeSegment(log.container)}`;
    let name = `${base}.log`;
    for (let i = 2; files.has(name); i++) name = `${base}.${i}.log`;
    files.set(name, log.text.endsWith('\n') || log.text === '' ? log.text : log.text + '\n');
  }
  files.set('data.json', JSON.stringify(result, null, 2) + '\n');
  for (const [name, text] of files) await writeFileAtomic(join(dir, name), text);
  return dir;
}

// A folder left by an earlier run of the same check would mix old pod logs with new
// ones. Only a folder that kconform wrote (it has data.json) is emptied.
async function clearOwnFolder(dir: string): Promise<void> {
  const marker = await stat(join(dir, 'data.json')).catch(() => undefined);
  if (!marker?.isFile()) return;
  for (const name of await readdir(dir)) {
    if (name === 'data.json' || name.endsWith('.log') || name.endsWith('.txt')) await rm(join(dir, name), { force: true });
  }
}

export interface EvidenceFilesReporterOptions {
  /** reports/evidence */
  dir: string;
}

export class EvidenceFilesReporter implements Reporter {
  readonly name = 'evidence';
  readonly dir: string;
  readonly #written: string[] = [];

  constructor(opts: EvidenceFilesReporterOptions) {
    this.dir = opts.dir;
  }

  async onCheckEnd(result: CheckResult): Promise<void> {
    if (!wantsEvidenceFiles(result)) return;
    this.#written.push(await writeCheckEvidence(this.dir, result));
  }

  /** Folders, one per failed check; the console names each beside its check instead. */
  evidenceFolders(): string[] {
    return [...this.#written];
  }
}
