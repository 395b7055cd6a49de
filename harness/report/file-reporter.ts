// A reporter that renders the whole run into one file: after every finished check
// (what finished so far, marked interrupted) and once more at the end. JUnit, JSON
// and HTML differ only in `render`.
import type { CheckResult, RunResult, SuiteResult } from '../results/model.ts';
import type { Reporter, RunBeginInfo } from './reporter.ts';
import { LatestWriter } from './atomic-write.ts';
import { RunSoFar } from './run-so-far.ts';

export interface FileReporterOptions {
  name: string;
  outputFile: string;
  /** Must redact: it gets the run as the checks produced it. */
  render(run: RunResult): string;
}

export class FileReporter implements Reporter {
  readonly name: string;
  readonly outputFile: string;
  readonly #render: (run: RunResult) => string;
  readonly #writer: LatestWriter;
  readonly #soFar = new RunSoFar();
  #provisionalFailed = false;
  #ending = false;
  #final: 'written' | 'failed' | undefined;

  constructor(opts: FileReporterOptions) {
    this.name = opts.name;
    this.outputFile = opts.outputFile;
    this.#render = opts.render;
    this.#writer = new LatestWriter(opts.outputFile);
  }

  onRunBegin(info: RunBeginInfo): void {
    this.#soFar.begin(info);
  }

  onSuiteBegin(suiteName: string, namespace: string): void {
    this.#soFar.suiteBegin(suiteName, namespace);
  }

  onCheckEnd(result: CheckResult): Promise<void> {
    this.#soFar.checkEnd(result);
    return this.#writeSoFar();
  }

  onSuiteEnd(result: SuiteResult): Promise<void> {
    this.#soFar.suiteEnd(result);
    return this.#writeSoFar();
  }

  async onRunEnd(result: RunResult): Promise<void> {
    this.#ending = true;
    try {
      await this.#writer.write(this.#render(result));
      this.#final = 'written';
    } catch (err) {
      this.#final = 'failed';
      throw err;
    }
  }

  writtenFiles(): string[] {
    const ok = this.#final ? this.#final === 'written' : this.#writer.written;
    return ok ? [this.outputFile] : [];
  }

  /** A failure here is told once, not after every check; the final write tells again. */
  async #writeSoFar(): Promise<void> {
    // Never after the end began: a late partial report must not replace the final one.
    if (this.#ending) return;
    const run = this.#soFar.snapshot();
    if (!run) return;
    try {
      await this.#writer.write(this.#render(run));
    } catch (err) {
      if (this.#provisionalFailed) return;
      this.#provisionalFailed = true;
      throw err;
    }
  }
}
