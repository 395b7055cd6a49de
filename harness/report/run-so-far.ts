// What has finished so far, as a RunResult marked interrupted. File reporters write
// it after every check, so a run killed outright (a second Ctrl-C, a crash) still
// leaves reports of what finished; the real result replaces it at the end.
import { RESULTS_SCHEMA_VERSION, summarize, worstStatus } from '../results/model.ts';
import type { CheckResult, RunResult, SuiteResult } from '../results/model.ts';
import type { RunBeginInfo } from './reporter.ts';
import { withNeverRan } from './never-ran.ts';

export class RunSoFar {
  readonly #now: () => Date;
  #info: RunBeginInfo | undefined;
  #startedAt: Date | undefined;
  readonly #namespaces = new Map<string, string>();
  readonly #checks = new Map<string, CheckResult[]>();
  readonly #ended = new Map<string, SuiteResult>();

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  begin(info: RunBeginInfo): void {
    this.#info = info;
    this.#startedAt = this.#now();
  }

  suiteBegin(name: string, namespace: string): void {
    this.#namespaces.set(name, namespace);
  }

  checkEnd(result: CheckResult): void {
    const list = this.#checks.get(result.suite) ?? [];
    list.push(result);
    this.#checks.set(result.suite, list);
  }

  suiteEnd(result: SuiteResult): void {
    this.#ended.set(result.name, result);
  }

  /** Undefined before onRunBegin (nothing is known yet). */
  snapshot(): RunResult | undefined {
    const info = this.#info;
    const startedAt = this.#startedAt;
    if (!info || !startedAt) return undefined;
    const suites: SuiteResult[] = [];
    for (const planned of info.suites) {
      const ended = this.#ended.get(planned.name);
      if (ended) {
        suites.push(ended);
        continue;
      }
      const checks = this.#checks.get(planned.name);
      if (!checks?.length) continue;
      suites.push({
        name: planned.name,
        file: planned.file,
        namespace: this.#namespaces.get(planned.name) ?? '',
        status: worstStatus(checks.map((c) => c.status)),
        durationMs: checks.reduce((s, c) => s + c.durationMs, 0),
        checks: [...checks],
        errors: [],
      });
    }
    const finishedAt = this.#now();
    // Written as if the run stopped here: every planned check is listed.
    const listed = withNeverRan(suites, info.suites, info.runId, finishedAt.toISOString());
    return {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      tool: { name: 'kconform', version: info.version ?? 'unknown' },
      runId: info.runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
      cluster: info.cluster,
      suites: listed,
      interrupted: true,
      summary: summarize(listed),
    };
  }
}
