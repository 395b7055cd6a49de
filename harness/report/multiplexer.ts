// Fans every hook out to many reporters. A reporter that throws (or rejects) becomes
// one error line on stderr, through the terminal reporter when there is one; it never
// stops the run or the other reporters.
import type { CheckResult, RunResult, SuiteResult } from '../results/model.ts';
import type { HookResult, Reporter, RunBeginInfo } from './reporter.ts';
import { oneLine } from './format.ts';
import { redactText } from './redact.ts';

export interface TextSink {
  write(chunk: string): unknown;
}

export interface MultiplexerOptions {
  /** Where errors go when no terminal reporter can show them. */
  stderr?: TextSink;
}

type Hook = Exclude<keyof Reporter, 'name' | 'printsToStdio' | 'writtenFiles'>;

export class ReporterMultiplexer implements Reporter {
  readonly name = 'multiplexer';
  readonly reporters: readonly Reporter[];
  readonly #stderr: TextSink;
  readonly #pending = new Set<Promise<void>>();

  constructor(reporters: readonly Reporter[], opts: MultiplexerOptions = {}) {
    this.reporters = [...reporters];
    this.#stderr = opts.stderr ?? process.stderr;
  }

  get printsToStdio(): boolean {
    return this.reporters.some((r) => r.printsToStdio === true);
  }

  onRunBegin(info: RunBeginInfo): void {
    this.#each('onRunBegin', (r) => r.onRunBegin?.(info));
  }

  onSuiteBegin(suiteName: string, namespace: string): void {
    this.#each('onSuiteBegin', (r) => r.onSuiteBegin?.(suiteName, namespace));
  }

  onCheckBegin(checkId: string): void {
    this.#each('onCheckBegin', (r) => r.onCheckBegin?.(checkId));
  }

  onCheckProgress(checkId: string, message: string): void {
    this.#each('onCheckProgress', (r) => r.onCheckProgress?.(checkId, message));
  }

  onCheckEnd(result: CheckResult): void {
    this.#each('onCheckEnd', (r) => r.onCheckEnd?.(result));
  }

  onSuiteEnd(result: SuiteResult): void {
    this.#each('onSuiteEnd', (r) => r.onSuiteEnd?.(result));
  }

  onLog(line: string): void {
    this.#each('onLog', (r) => r.onLog?.(line));
  }

  onError(message: string): void {
    this.#each('onError', (r) => r.onError?.(message));
  }

  /**
   * Waits for work still in flight, then ends the file reporters before the terminal
   * ones, so the console's closing lines can list the files really written and show
   * any write failure above them.
   */
  async onRunEnd(result: RunResult): Promise<void> {
    await this.#settle();
    const files = this.reporters.filter((r) => !r.printsToStdio);
    const terminals = this.reporters.filter((r) => r.printsToStdio);
    await Promise.all(files.map((r) => this.#callAwaited(r, 'onRunEnd', () => r.onRunEnd?.(result))));
    await this.#settle();
    await Promise.all(terminals.map((r) => this.#callAwaited(r, 'onRunEnd', () => r.onRunEnd?.(result))));
    await this.#settle();
  }

  writtenFiles(): string[] {
    return this.reporters.flatMap((r) => {
      try {
        return r.writtenFiles?.() ?? [];
      } catch {
        return [];
      }
    });
  }

  #each(hook: Hook, call: (r: Reporter) => HookResult): void {
    for (const r of this.reporters) {
      const p = this.#call(r, hook, () => call(r));
      if (p) {
        this.#pending.add(p);
        void p.finally(() => this.#pending.delete(p));
      }
    }
  }

  /** Runs one hook; a synchronous throw is reported now, a rejection when it comes. */
  #call(r: Reporter, hook: Hook, call: () => HookResult): Promise<void> | undefined {
    try {
      const out = call();
      if (out && typeof (out as Promise<void>).then === 'function') {
        return Promise.resolve(out).catch((err: unknown) => this.#failed(r, hook, err));
      }
    } catch (err) {
      this.#failed(r, hook, err);
    }
    return undefined;
  }

  async #callAwaited(r: Reporter, hook: Hook, call: () => HookResult): Promise<void> {
    await this.#call(r, hook, call);
  }

  async #settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #failed(r: Reporter, hook: Hook, err: unknown): void {
    const detail = err instanceof Error ? err.message : String(err);
    const message = redactText(oneLine(`reporter ${r.name ?? 'unnamed'} failed in ${hook}: ${detail}`));
    let shown = false;
    for (const t of this.reporters) {
      if (t === r || !t.printsToStdio || !t.onError) continue;
      try {
        const out = t.onError(message);
        // A terminal reporter that cannot even print an error is not retried.
        if (out && typeof (out as Promise<void>).then === 'function') void Promise.resolve(out).catch(() => undefined);
        shown = true;
      } catch {
        // fall through to stderr
      }
    }
    if (!shown) {
      try {
        this.#stderr.write(`kconform: error: ${message}\n`);
      } catch {
        // nothing left to tell
      }
    }
  }
}
