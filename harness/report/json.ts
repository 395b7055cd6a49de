// results.json: the RunResult itself (with its schemaVersion), redacted, written
// atomically. Read back (for --rerun-failed) only through the schema.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { RunResult } from '../results/model.ts';
import { FileReporter } from './file-reporter.ts';
import { redactDeep } from './redact.ts';
import { runResultSchema } from './results-schema.ts';

export function renderJson(run: RunResult): string {
  return JSON.stringify(redactDeep(run), null, 2) + '\n';
}

export class ResultsFileError extends Error {
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'ResultsFileError';
    this.path = path;
  }
}

/** Parse and validate results.json text; `source` names it in errors. */
export function parseResults(text: string, source: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(source, `not JSON (${(err as Error).message})`, err);
  }
  const parsed = runResultSchema.safeParse(data);
  if (!parsed.success) throw new ResultsFileError(source, `not a kconform results file: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export async function readResultsFile(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ResultsFileError(path, `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, err);
  }
  return parseResults(text, path);
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}

export class JsonReporter extends FileReporter {
  constructor(opts: { outputFile: string }) {
    super({ name: 'json', outputFile: opts.outputFile, render: renderJson });
  }
}
