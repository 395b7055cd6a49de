// --reporter: what goes to stdout besides (or instead of) the console lines.
// `json` and `junit` print the whole report once at the end (the console then
// writes to stderr, so stdout stays one parseable document); `github` prints
// GitHub Actions workflow commands (::error / ::warning) for failed, errored and
// flaky checks, which Actions shows as annotations on the run.
import path from 'node:path';
import type { RunResult } from '../results/model.ts';
import type { Reporter } from './reporter.ts';
import type { TextSink } from './multiplexer.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { redactText } from './redact.ts';
import type { StdoutReporterName } from './stdout-reporter-names.ts';

export { parseReporterList, STDOUT_REPORTERS, type StdoutReporterName } from './stdout-reporter-names.ts';

/** True when stdout carries a document and the console must move to stderr. */
export function stdoutTaken(names: readonly StdoutReporterName[]): boolean {
  return names.includes('json') || names.includes('junit');
}

export class StdoutDocumentReporter implements Reporter {
  readonly name: string;
  readonly #format: 'json' | 'junit';
  readonly #out: TextSink;
  constructor(format: 'json' | 'junit', out: TextSink = process.stdout) {
    this.name = `${format} (stdout)`;
    this.#format = format;
    this.#out = out;
  }
  onRunEnd(result: RunResult): void {
    // Both renderers redact.
    this.#out.write(this.#format === 'json' ? renderJson(result) : renderJunit(result));
  }
}

/** GitHub workflow-command escaping: data and property values differ (properties also escape : and ,). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The annotation lines for a finished run (pure, for tests). */
export function githubAnnotations(run: RunResult, cwd = process.cwd()): string[] {
  const lines: string[] = [];
  for (const s of run.suites) {
    const file = s.file ? path.relative(cwd, s.file) : '';
    const where = file ? `file=${escapeProperty(file)},` : '';
    for (const c of s.checks) {
      const title = `title=${escapeProperty(`kconform ${c.id}`)}`;
      const body = redactText(c.hint ? `${c.reason}\nhint: ${c.hint}` : c.reason);
      if (c.status === 'fail' || c.status === 'error') lines.push(`::error ${where}${title}::${escapeData(`${c.status === 'error' ? 'could not decide: ' : ''}${body}`)}`);
      else if (c.flaky) lines.push(`::warning ${where}${title}::${escapeData(`flaky: passed on attempt ${c.attempts.length}/${c.attempts.length}; ${c.attempts.find((a) => a.status !== 'pass')?.reason ?? ''}`)}`);
    }
    for (const e of s.errors) lines.push(`::error ${where}title=${escapeProperty(`kconform ${s.name}`)}::${escapeData(redactText(e))}`);
  }
  const m = run.summary;
  lines.push(`::notice title=kconform::${escapeData(`${m.passed} passed, ${m.failed} failed, ${m.errored} errored, ${m.skipped} skipped${m.flaky ? `, ${m.flaky} flaky` : ''}${run.interrupted ? ' (interrupted)' : ''}`)}`);
  return lines;
}

export class GithubAnnotationsReporter implements Reporter {
  readonly name = 'github';
  readonly #out: TextSink;
  constructor(out: TextSink = process.stdout) {
    this.#out = out;
  }
  onRunEnd(result: RunResult): void {
    this.#out.write(`${githubAnnotations(result).join('\n')}\n`);
  }
}

/** With json or junit on stdout the annotations go to stderr, so stdout stays one document (Actions reads commands from both). */
export function stdoutReporters(names: readonly StdoutReporterName[], out: TextSink = process.stdout, err: TextSink = process.stderr): Reporter[] {
  const annotationsTo = stdoutTaken(names) ? err : out;
  return names.flatMap((n): Reporter[] => (n === 'json' || n === 'junit' ? [new StdoutDocumentReporter(n, out)] : n === 'github' ? [new GithubAnnotationsReporter(annotationsTo)] : []));
}
