// The CLI side of "always a report": when the cluster cannot be reached,
// created or set up, the reports the run would have written are written with
// the cause, the terminal says where they are, and the error goes on to main
// (one line, exit 3). Bad input (exit 2) and Ctrl-C are not reported this way.
import path from 'node:path';
import { newRunId } from '../plan/ids.ts';
import { writeFailureReport } from '../run/failure-report.ts';
import type { ClusterInfo } from '../results/model.ts';
import { CliError, EXIT } from './exit-codes.ts';
import type { StepPrinter } from './progress.ts';

export interface ReportFlags {
  reports: string;
  junit?: string | false;
  json?: string | false;
  html?: string | false;
}

/** Where a run's reports go: the flag's path, the default in --reports, or nothing (--no-x). */
export function reportPaths(flags: ReportFlags): { junit: string | false; json: string | false; html: string | false } {
  const pick = (v: string | false | undefined, file: string) => (v === false ? false : (v ?? path.join(flags.reports, file)));
  return { junit: pick(flags.junit, 'junit.xml'), json: pick(flags.json, 'results.json'), html: pick(flags.html, 'index.html') };
}

export interface NoRunContext {
  /** The suites that would have run (the session's outline of its plan). */
  suites: { name: string; file: string }[];
  flags: ReportFlags;
  phase: string;
  cluster: ClusterInfo;
  runId?: string;
  startedAt?: Date;
  /** Where to say which files were written (default: stdout; the error itself is the one line on stderr). */
  say?: (line: string) => void;
}

/** The exit code an error ends the process with (main's rules). */
export function exitCodeOfError(err: unknown): number {
  return err instanceof CliError ? err.code : EXIT.harnessError;
}

/** Writes the reports of a run that never started when `err` is a harness error (exit 3); returns the files. */
export async function reportNoRun(err: unknown, ctx: NoRunContext): Promise<string[]> {
  const exitCode = exitCodeOfError(err);
  if (exitCode !== EXIT.harnessError) return [];
  const cause = err instanceof Error ? err.message : String(err);
  const files = await writeFailureReport({
    suites: ctx.suites,
    failure: { phase: ctx.phase, cause, exitCode },
    cluster: ctx.cluster,
    runId: ctx.runId ?? newRunId(),
    ...(ctx.startedAt ? { startedAt: ctx.startedAt } : {}),
    ...reportPaths(ctx.flags),
  });
  const say = ctx.say ?? ((l: string) => process.stdout.write(`${l}\n`));
  if (files.length) say(`no check ran (${ctx.phase} failed); reports: ${files.join('  ')}`);
  return files;
}

/** Steps that are detail lines of a bigger step, not a phase of their own. */
const DETAIL_STEPS = new Set(['kind', 'images', 'cni plugins', 'pitfall']);

/** A step printer that remembers the phase the bring-up is in, for the report of a failure. */
export function trackPhase(out: StepPrinter, initial: string): { out: StepPrinter; phase: () => string } {
  let phase = initial;
  return {
    out: {
      ...out,
      step(step, detail) {
        if (!DETAIL_STEPS.has(step) && !step.startsWith('creation failed')) phase = step;
        out.step(step, detail);
      },
    },
    phase: () => phase,
  };
}
