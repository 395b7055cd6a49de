// First Ctrl-C / SIGTERM: abort the run so checks stop and cleanup runs.
// Second Ctrl-C: give up on cleanup and exit now.
// An error that escaped every handler (a library's stray 'error' event, a promise
// nobody awaited) is treated as a first Ctrl-C, so namespaces, node marks and
// clusters are still cleaned up; the command then exits 3 instead of dying with a
// stack trace and leaving them behind.
import { redactText } from '../report/redact.ts';
import { errorText, oneLine } from '../run/outcome.ts';
import { EXIT } from './exit-codes.ts';

/** The interrupt of the command now running, if it has one. */
let active: ((why: string) => void) | undefined;
let crashed: string | undefined;
let installed = false;
const CRASH_CLEANUP_MS = 180_000;

/** The first internal error that escaped, as one line; undefined when none did. */
export function internalError(): string | undefined {
  return crashed;
}

/** Routes uncaught errors and unhandled rejections to the running command's interrupt. Once per process. */
export function installCrashHandler(): void {
  if (installed) return;
  installed = true;
  const onCrash = (err: unknown) => {
    const first = crashed === undefined;
    const line = `internal error: ${redactText(oneLine(errorText(err)))}`;
    crashed ??= line;
    if (process.env.KCONFORM_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${redactText(err.stack)}\n`);
    if (first && active) {
      active(line);
      // Cleanup gets its time, but a run wedged by the error must not hang forever.
      setTimeout(() => {
        process.stderr.write(`kconform: ${line}; cleanup did not finish within ${CRASH_CLEANUP_MS / 1000}s: run \`kconform clean\` later\n`);
        process.exit(EXIT.harnessError);
      }, CRASH_CLEANUP_MS).unref();
      return;
    }
    // No command to wind down, or a second error while it was cleaning up.
    process.stderr.write(`kconform: ${line}${first ? '' : ' (while cleaning up: run `kconform clean` later)'}\n`);
    process.exit(EXIT.harnessError);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}

export function interruptController(onFirst: (why: string) => void): { signal: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  let count = 0;
  const stop = (why: string) => {
    count++;
    if (count === 1) {
      ctl.abort(new Error(`interrupted by ${why}`));
      onFirst(why);
    } else {
      process.stderr.write(`\n${why} again: exiting without finishing cleanup (run \`kconform clean\` later)\n`);
      process.exit(EXIT.interrupted);
    }
  };
  const handler = (sig: NodeJS.Signals) => stop(sig);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  const previous = active;
  active = stop;
  return {
    signal: ctl.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      if (active === stop) active = previous;
    },
  };
}
