// The live console. In a terminal (not CI, not NO_COLOR): colours and one spinner
// line per running check. Otherwise plain lines, no escape codes, no spinner: the
// same lines a CI log keeps. Every line is redacted before it is written.
//
//   kconform 0.1.0  cluster kind/kconform-7f3a  3 nodes  calico  docker  v1.37.2
//     nodes        ✓ 3/3 Ready, runtime docker://, calico on 3/3 nodes        1.2s
//     serviceDist. ✗ endpoint web-2 answered 0/300 (web-0 152, web-1 148)      4.1s
//                  evidence: reports/evidence/net/serviceDistribution/
//                  hint: web-2 is Ready but not in the EndpointSlice: label mismatch?
//   6 checks: 4 passed, 1 failed, 1 skipped in 1m12s
//   reports/junit.xml  reports/results.json
import ora from 'ora';
import type { Ora } from 'ora';
import picocolors from 'picocolors';
import type { CheckResult, ClusterInfo, RunResult, SuiteResult } from '../results/model.ts';
import type { Reporter, RunBeginInfo } from './reporter.ts';
import { evidenceDirOf, wantsEvidenceFiles } from './evidence-files.ts';
import { displayWidth, formatDuration, oneLine, padEnd, plural, truncate } from './format.ts';
import { redactText } from './redact.ts';

export type ConsoleMode = 'fancy' | 'plain' | 'silent';

export interface ConsoleStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What the terminal allows: fancy only on a TTY, outside CI, without NO_COLOR. */
export function resolveConsoleMode(
  requested: ConsoleMode,
  where: { isTTY: boolean; env: Record<string, string | undefined> },
): ConsoleMode {
  if (requested !== 'fancy') return requested;
  const { env } = where;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return where.isTTY && !ci && !noColor && env.TERM !== 'dumb' ? 'fancy' : 'plain';
}

export interface ConsoleReporterOptions {
  /** Already resolved (see resolveConsoleMode). */
  mode: 'fancy' | 'plain';
  stdout?: ConsoleStream;
  stderr?: ConsoleStream;
  /** Where failed checks' evidence files go (printed beside each failed check). */
  evidenceDir?: string;
  /** Report files written, listed on the last line. */
  reportFiles?: () => string[];
  /** Line width used to right-align durations. */
  width?: number;
}

const MARK = { pass: '✓', fail: '✗', error: '!', skip: '-' } as const;
const MIN_NAME = 8;

export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  readonly printsToStdio = true;
  readonly #mode: 'fancy' | 'plain';
  readonly #out: ConsoleStream;
  readonly #err: ConsoleStream;
  readonly #c: ReturnType<typeof picocolors.createColors>;
  readonly #evidenceDir: string | undefined;
  readonly #reportFiles: () => string[];
  readonly #width: number;
  #nameWidth = 12;
  #multiSuite = false;
  #planned = 0;
  readonly #checks = new Map<string, { label: string; maxAttempts?: number }>();
  readonly #running = new Map<string, string>();
  #spinner: Ora | undefined;

  constructor(opts: ConsoleReporterOptions) {
    this.#out = opts.stdout ?? process.stdout;
    // A terminal that reports no width (some pseudo-terminals) cannot host a spinner:
    // redrawing needs to know how many rows a line takes.
    this.#mode = opts.mode === 'fancy' && (this.#out.columns ?? 0) > 0 ? 'fancy' : 'plain';
    this.#err = opts.stderr ?? process.stderr;
    this.#c = picocolors.createColors(this.#mode === 'fancy');
    this.#evidenceDir = opts.evidenceDir;
    this.#reportFiles = opts.reportFiles ?? (() => []);
    const columns = this.#mode === 'fancy' ? this.#out.columns : undefined;
    this.#width = opts.width ?? Math.min(Math.max(columns ? columns - 1 : 80, 60), 120);
  }

  onRunBegin(info: RunBeginInfo): void {
    this.#multiSuite = info.suites.length > 1;
    const cap = this.#multiSuite ? 28 : 16;
    let longest = 0;
    for (const suite of info.suites) {
      for (const check of suite.checks) {
        const label = this.#multiSuite ? `${suite.name}/${check.name}` : check.name;
        this.#checks.set(check.id, { label, ...(check.maxAttempts !== undefined ? { maxAttempts: check.maxAttempts } : {}) });
        longest = Math.max(longest, displayWidth(label));
        this.#planned++;
      }
    }
    this.#nameWidth = Math.min(Math.max(longest, MIN_NAME), cap);
    this.#line(this.#c.bold(clean(headerLine(info))));
  }

  onSuiteBegin(suiteName: string, namespace: string): void {
    this.#line(this.#c.bold(`suite ${clean(suiteName)}`) + this.#c.dim(`  ns ${clean(namespace)}`));
  }

  onCheckBegin(checkId: string): void {
    if (this.#mode !== 'fancy') return;
    this.#running.set(checkId, 'running');
    this.#renderSpinner();
  }

  onCheckProgress(checkId: string, message: string): void {
    if (this.#mode !== 'fancy' || !this.#running.has(checkId)) return;
    this.#running.set(checkId, clean(message));
    this.#renderSpinner();
  }

  onCheckEnd(result: CheckResult): void {
    this.#running.delete(result.id);
    this.#lines(this.#checkLines(result));
    this.#renderSpinner();
  }

  onSuiteEnd(result: SuiteResult): void {
    const indent = ' '.repeat(2 + this.#nameWidth + 1);
    for (const e of result.errors) this.#line(`${indent}${this.#c.magenta(`! suite ${result.name}: ${clean(e)}`)}`);
  }

  onLog(line: string): void {
    this.#line(`  ${clean(line)}`);
  }

  onError(message: string): void {
    this.#write(this.#err, this.#c.red(`error: ${clean(message)}`));
  }

  onRunEnd(result: RunResult): void {
    this.#running.clear();
    this.#stopSpinner();
    const s = result.summary;
    if (result.interrupted) {
      this.#line(this.#c.yellow(`interrupted: ${s.total} of ${Math.max(this.#planned, s.total)} checks finished`));
    }
    const parts = [`${s.passed} passed`];
    if (s.failed) parts.push(this.#c.red(`${s.failed} failed`));
    if (s.errored) parts.push(this.#c.magenta(`${s.errored} errored`));
    if (s.skipped) parts.push(`${s.skipped} skipped`);
    if (s.flaky) parts.push(this.#c.yellow(`${s.flaky} flaky`));
    this.#line(`${plural(s.total, 'check')}: ${parts.join(', ')} in ${formatDuration(result.durationMs)}`);
    const graded = result.suites.flatMap((x) => x.checks).filter((c) => c.points);
    if (graded.length) {
      const earned = graded.reduce((n, c) => n + (c.points?.earned ?? 0), 0);
      const max = graded.reduce((n, c) => n + (c.points?.max ?? 0), 0);
      this.#line(`score: ${earned}/${max} points`);
    }
    const files = this.#reportFiles();
    if (files.length) this.#line(this.#c.dim(files.join('  ')));
  }

  #checkLines(r: CheckResult): string[] {
    const c = this.#c;
    const planned = this.#checks.get(r.id);
    const label = padEnd(truncate(planned?.label ?? r.name, this.#nameWidth), this.#nameWidth);
    const reason = clean(r.reason);
    let text: string;
    let shown: string;
    switch (r.status) {
      case 'pass':
        text = reason;
        shown = `${c.green(MARK.pass)} ${reason}`;
        if (r.flaky) {
          const last = r.attempts.at(-1)?.attempt ?? r.attempts.length;
          const marker = `(flaky: passed on attempt ${last}${planned?.maxAttempts ? `/${planned.maxAttempts}` : ''})`;
          text += ` ${marker}`;
          shown += ` ${c.yellow(marker)}`;
        }
        break;
      case 'fail':
        text = reason;
        shown = `${c.red(MARK.fail)} ${c.red(reason)}`;
        break;
      case 'error':
        text = `error: ${reason}`;
        shown = `${c.magenta(MARK.error)} ${c.magenta(text)}`;
        break;
      case 'skip':
        text = `skipped: ${reason}`;
        shown = `${c.yellow(MARK.skip)} ${c.dim(text)}`;
        break;
      default: {
        const never: never = r.status;
        throw new Error(`unknown status ${String(never)}`);
      }
    }
    if (r.points) {
      const pts = `[${r.points.earned}/${r.points.max} pts]`;
      text += ` ${pts}`;
      shown += ` ${pts}`;
    }
    const head = `  ${label} `;
    let line = head + shown;
    if (r.status !== 'skip') {
      const duration = formatDuration(r.durationMs);
      const used = displayWidth(head) + 2 + displayWidth(text);
      const gap = Math.max(2, this.#width - used - duration.length);
      line += ' '.repeat(gap) + c.dim(duration);
    }
    const lines = [line];
    const indent = ' '.repeat(displayWidth(head));
    if (wantsEvidenceFiles(r) && this.#evidenceDir !== undefined) {
      lines.push(`${indent}${c.dim('evidence:')} ${evidenceDirOf(this.#evidenceDir, r.suite, r.name)}`);
    }
    if (r.hint && r.status !== 'pass' && r.status !== 'skip') lines.push(`${indent}${c.cyan('hint:')} ${clean(r.hint)}`);
    return lines;
  }

  // One ora spinner (ora draws one at a time) sits in the mark column of the first
  // running check; further running checks are listed under it.
  #renderSpinner(): void {
    if (this.#mode !== 'fancy') return;
    if (this.#running.size === 0) return this.#stopSpinner();
    const rows = [...this.#running].map(([id, message]) => ({
      label: padEnd(truncate(this.#checks.get(id)?.label ?? id, this.#nameWidth), this.#nameWidth),
      message: this.#c.dim(message),
    }));
    const [first, ...rest] = rows;
    if (!first) return;
    const text = [first.message, ...rest.map((r) => `  ${r.label} ${this.#c.dim('…')} ${r.message}`)].join('\n');
    if (!this.#spinner) {
      this.#spinner = ora({
        stream: this.#out as NodeJS.WritableStream,
        isEnabled: true,
        // Raw-mode stdin would swallow Ctrl-C, which the run needs for cleanup.
        discardStdin: false,
        color: 'cyan',
      });
    }
    this.#spinner.prefixText = redactText(`  ${first.label}`);
    this.#spinner.text = redactText(text);
    // Show new progress now rather than at the next frame.
    if (this.#spinner.isSpinning) this.#spinner.render();
    else this.#spinner.start();
  }

  #stopSpinner(): void {
    if (this.#spinner?.isSpinning) this.#spinner.stop();
  }

  #line(text: string): void {
    this.#lines([text]);
  }

  /** Lines go above the spinner: stop it, write, and let the next render restart it. */
  #lines(lines: string[]): void {
    const spinning = this.#spinner?.isSpinning ?? false;
    if (spinning) this.#spinner?.stop();
    for (const l of lines) this.#write(this.#out, l);
    if (spinning && this.#running.size > 0) this.#spinner?.start();
  }

  // Model text was cleaned where it entered; this pass covers whatever was joined since.
  #write(stream: ConsoleStream, line: string): void {
    stream.write(redactText(line) + '\n');
  }
}

/** Model text made safe for one terminal line: redacted, escapes and newlines removed. */
function clean(text: string): string {
  return oneLine(redactText(text));
}

export function headerLine(info: RunBeginInfo): string {
  return ['kconform' + (info.version ? ` ${info.version}` : ''), ...clusterFacts(info.cluster)].join('  ');
}

function clusterFacts(c: ClusterInfo): string[] {
  const facts = [`cluster ${c.provider}/${c.name}`];
  if (c.nodes !== undefined) facts.push(plural(c.nodes, 'node'));
  if (c.cni) facts.push(c.cni);
  if (c.cri) facts.push(c.cri);
  if (c.kubernetesVersion) facts.push(c.kubernetesVersion.startsWith('v') ? c.kubernetesVersion : `v${c.kubernetesVersion}`);
  return facts;
}
