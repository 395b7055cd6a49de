// The process exit codes, and the one rule that turns a run's result into one.
// Every entry point (run, conformance, matrix cells, merge, the public API) asks here.
import type { RunResult } from './model.ts';

export const EXIT = {
  ok: 0,
  checkFailed: 1,
  badInput: 2,
  harnessError: 3,
  interrupted: 130,
} as const;

export function exitCodeOf(r: RunResult): number {
  if (r.interrupted) return EXIT.interrupted;
  if (r.summary.errored > 0) return EXIT.harnessError;
  if (r.summary.failed > 0) return EXIT.checkFailed;
  return EXIT.ok;
}
