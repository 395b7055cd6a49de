// A reporter in front of another: results reach it with the built-in hints
// added (harness/grade/hints.ts), so a student's JUnit and JSON carry the same
// hints as the score sheet. Everything else passes through unchanged.
import type { CheckResult, RunResult, SuiteResult } from '../results/model.ts';
import type { HookResult, Reporter, RunBeginInfo } from '../report/reporter.ts';
import { withBuiltInHints } from './hints.ts';

export class HintingReporter implements Reporter {
  readonly name = 'hints';
  readonly #inner: Reporter;

  constructor(inner: Reporter) {
    this.#inner = inner;
  }

  get printsToStdio(): boolean {
    return this.#inner.printsToStdio === true;
  }

  onRunBegin(info: RunBeginInfo): HookResult {
    return this.#inner.onRunBegin?.(info);
  }
  onSuiteBegin(suiteName: string, namespace: string): HookResult {
    return this.#inner.onSuiteBegin?.(suiteName, namespace);
  }
  onCheckBegin(checkId: string): HookResult {
    return this.#inner.onCheckBegin?.(checkId);
  }
  onCheckProgress(checkId: string, message: string): HookResult {
    return this.#inner.onCheckProgress?.(checkId, message);
  }
  onCheckEnd(result: CheckResult): HookResult {
    return this.#inner.onCheckEnd?.(withBuiltInHints(result));
  }
  onSuiteEnd(result: SuiteResult): HookResult {
    return this.#inner.onSuiteEnd?.(hintSuite(result));
  }
  onLog(line: string): HookResult {
    return this.#inner.onLog?.(line);
  }
  onError(message: string): HookResult {
    return this.#inner.onError?.(message);
  }
  onRunEnd(result: RunResult): HookResult {
    return this.#inner.onRunEnd?.(hintRun(result));
  }
  writtenFiles(): string[] {
    return this.#inner.writtenFiles?.() ?? [];
  }
}

function hintSuite(s: SuiteResult): SuiteResult {
  return { ...s, checks: s.checks.map(withBuiltInHints) };
}

export function hintRun(r: RunResult): RunResult {
  return { ...r, suites: r.suites.map(hintSuite) };
}
