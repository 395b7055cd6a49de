// The CLI side of a run session: flags -> run options, reporters and a provider;
// the session (harness/run/session.ts) does the rest. `run`, `conformance` and
// `matrix` cells all come through here; only the provider and the hooks differ.
// Loaded when one of those commands runs, never for their --help.
import path from 'node:path';
import type { EvidencePolicy, KeepPolicy, RunOptions } from '../plan/plan.ts';
import { createReporters } from '../report/registry.ts';
import { ReporterMultiplexer } from '../report/multiplexer.ts';
import { stdoutReporters, stdoutTaken } from '../report/stdout-reporters.ts';
import type { Reporter } from '../report/reporter.ts';
import { withShard } from '../report/merge.ts';
import { readResultsFile } from '../report/json.ts';
import { mergeRerun, selectFailed } from '../run/rerun.ts';
import { PARALLEL_AUTO } from '../run/concurrency.ts';
import { NoChecksSelectedError, runSession, type OpenFailure, type SessionOptions, type SessionRun } from '../run/session.ts';
import type { ClusterProvider } from '../cluster/provider.ts';
import type { KindCluster } from '../cluster/kind/provider.ts';
import type { LoadedSuite } from '../suite/load.ts';
import type { RunResult } from '../results/model.ts';
import { cellFromRun, cellLabel, cellWithoutRun, writeCell } from '../matrix/cell.ts';
import { formatDuration } from '../report/format.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { durationMs, nonNegativeInt, positiveInt } from './flag-values.ts';
import { selectionOf } from './selection-options.ts';
import { reportersOf } from './output-options.ts';
import { reportNoRun, reportPaths, trackPhase } from './no-run-report.ts';
import { cliErrorOfOpen, kubeconfigProviderOf } from './connect.ts';
import { interruptController } from './signals.ts';
import { stepPrinter, type StepPrinter } from './progress.ts';
import { kindProviderOf } from './kind-bring-up.ts';
import type { ClusterFlags } from './cluster-options.ts';
import type { SelectionFlags } from './selection-options.ts';

/** The flags of `run` (and of `conformance` and `matrix`, without the kubeconfig ones); addRunOptions defines them. */
export interface RunFlags extends SelectionFlags {
  kubeconfig?: string;
  context?: string;
  junit: string | false;
  json: string | false;
  html: string | false;
  reports: string;
  parallel: string;
  keep: KeepPolicy | true;
  filter?: string;
  readOnly?: boolean;
  evidence: EvidencePolicy;
  retries?: string | false;
  maxWait?: string;
  rerunFailed?: string;
  allowDisruptive?: boolean;
  reporter?: string;
}

/** --rerun-failed: the earlier report and the checks to run again (their suites are the ones to load). */
export async function rerunOf(file: string): Promise<{ previous: RunResult; ids: Set<string>; files: string[] }> {
  let previous: RunResult;
  try {
    previous = await readResultsFile(file);
  } catch (err) {
    throw new CliError(`--rerun-failed: ${err instanceof Error ? err.message : String(err)}`, EXIT.badInput);
  }
  const rerun = selectFailed(previous);
  if (rerun.ids.size === 0) throw new CliError(`${file}: nothing to rerun: no check failed or errored in run ${previous.runId}`, EXIT.ok);
  return { previous, ids: rerun.ids, files: rerun.files };
}

export function runOptionsOf(flags: RunFlags, only?: Set<string>): RunOptions {
  const { selection, shard } = selectionOf(flags);
  return {
    selection,
    ...(shard ? { shard } : {}),
    parallel: parallelOf(flags.parallel),
    keep: flags.keep === true ? 'always' : flags.keep,
    readOnly: !!flags.readOnly,
    evidence: flags.evidence,
    ...(only ? { only } : {}),
    ...(flags.retries === false ? { retries: 0 } : flags.retries !== undefined ? { retries: nonNegativeInt(flags.retries, '--retries') } : {}),
    ...(flags.maxWait !== undefined ? { maxWaitMs: durationMs(flags.maxWait, '--max-wait', '5s') } : {}),
  };
}

/** The report files of --junit/--json/--html/--reports, and --reporter's stdout reporters. */
export function reporterOf(flags: RunFlags): Reporter {
  const stdoutNames = reportersOf(flags.reporter);
  const files = createReporters({
    ...reportPaths(flags),
    console: process.env.CI === 'true' || !process.stdout.isTTY ? 'plain' : 'fancy',
    evidenceDir: path.join(flags.reports, 'evidence'),
    // A JSON or JUnit document on stdout: the console lines go to stderr.
    ...(stdoutTaken(stdoutNames) ? { stdout: process.stderr } : {}),
  });
  return new ReporterMultiplexer([files, ...stdoutReporters(stdoutNames)]);
}

interface CliSession {
  suites: LoadedSuite[];
  flags: RunFlags;
  provider: ClusterProvider;
  signal: AbortSignal;
  reporter?: Reporter;
  previous?: RunResult;
  only?: Set<string>;
  /** Phase of a failed open, for the report (kind: the bring-up step it was in). */
  openPhase: () => string;
  onOpenFailed?: (err: unknown, f: OpenFailure) => Promise<void>;
  hooks?: Pick<SessionOptions, 'onPhase' | 'onOpened'>;
}

/** One session from flags; errors come out as the CLI says them (exit 2 for bad input, 3 for a cluster that cannot be opened). */
async function sessionOf(c: CliSession): Promise<SessionRun> {
  const options = runOptionsOf(c.flags, c.only);
  const { shard } = options;
  let openError: unknown;
  try {
    return await runSession({
      suites: c.suites,
      options,
      provider: c.provider,
      reporter: c.reporter ?? reporterOf(c.flags),
      signal: c.signal,
      allowDisruptive: !!c.flags.allowDisruptive,
      say: (line) => process.stderr.write(`${line}\n`),
      // A shard's results say which part they are, so `kconform merge` puts them back in order.
      ...(c.previous || shard ? { finalize: (r: RunResult) => withShard(c.previous ? mergeRerun(c.previous, r) : r, shard) } : {}),
      ...c.hooks,
      onOpenFailed: async (err, f) => {
        openError = cliErrorOfOpen(err);
        await c.onOpenFailed?.(openError, f);
        // Always a report: the cluster could not be reached or made, the reports say why (not for bad input or Ctrl-C).
        if (!f.interrupted) await reportNoRun(openError, { suites: f.suites, flags: c.flags, phase: c.openPhase(), cluster: f.cluster, runId: f.runId, startedAt: f.startedAt });
      },
    });
  } catch (err) {
    if (err instanceof NoChecksSelectedError) throw new CliError(err.message, EXIT.badInput);
    throw openError ?? err;
  }
}

/** `run` (--provider kubeconfig): the cluster of --kubeconfig/--context. */
export async function runOnKubeconfig(suites: LoadedSuite[], flags: RunFlags, rerun?: { previous: RunResult; ids: Set<string> }): Promise<number> {
  const reporter = reporterOf(flags);
  // The multiplexer never rejects: a reporter's failure is said, not thrown.
  const interrupt = interruptController((sig) => void reporter.onLog?.(`${sig}: stopping checks and cleaning up (press Ctrl-C again to exit at once)`));
  try {
    const { exitCode } = await sessionOf({
      suites, flags, reporter, signal: interrupt.signal,
      provider: kubeconfigProviderOf(flags),
      openPhase: () => 'connecting to the cluster',
      ...(rerun ? { previous: rerun.previous, only: rerun.ids } : {}),
    });
    return exitCode;
  } finally {
    interrupt.dispose();
  }
}

/** `run --provider kind` and `conformance`: create the cluster, run, write cell.json beside the reports, delete it. */
export async function runOnKind(suites: LoadedSuite[], flags: RunFlags & ClusterFlags, notes: string[]): Promise<number> {
  const out = stepPrinter();
  for (const n of notes) out.line(n);
  const asked = { cni: flags.cni, cri: flags.cri };
  let phase = 'creating the cluster';
  const interrupt = interruptController((sig) => out.line(`${sig}: stopping (${phase}); cleaning up, Ctrl-C again to exit at once`));
  const tracked = trackPhase(out, 'creating the cluster');
  try {
    const provider = kindProviderOf(flags, tracked.out, { onRelease: keptNote(flags) });
    const run = await sessionOf({
      suites, flags, provider, signal: interrupt.signal,
      openPhase: tracked.phase,
      onOpenFailed: async (err, f) => {
        await writeCell(flags.reports, cellWithoutRun(asked, 'error', messageOf(err), f.openMs)).catch(() => {});
      },
      hooks: {
        onPhase: (p) => (phase = p === 'opening the cluster' ? 'creating the cluster' : p === 'closing the cluster' ? 'deleting the cluster' : p),
        onOpened: (h) => out.done(`cluster ${h.name} ready`),
      },
    });
    await writeCell(flags.reports, cellFromRun(asked, run.result, { createMs: run.openMs, suiteMs: run.runMs }));
    return run.exitCode;
  } finally {
    interrupt.dispose();
  }
}

/** One matrix cell: its own kind cluster, its reports and cell.json in `dir`; never throws (a failure is the cell's record). */
export async function runMatrixCell(
  suites: LoadedSuite[],
  flags: RunFlags & ClusterFlags,
  dir: string,
  out: StepPrinter,
  signal: AbortSignal,
  setPhase: (p: string) => void,
): Promise<void> {
  const asked = { cni: flags.cni, cri: flags.cri };
  const label = cellLabel(asked.cni, asked.cri);
  const tracked = trackPhase(out, 'creating the cluster');
  // Each cell writes its own reports in its folder: file paths given for one run would be overwritten.
  const cellFlags: RunFlags & ClusterFlags = { ...flags, reports: dir, keepCluster: false };
  for (const k of ['junit', 'json', 'html'] as const) if (typeof cellFlags[k] === 'string') delete cellFlags[k];
  let opened = false;
  let openMs = 0;
  let openFailed = false;
  try {
    const base = kindProviderOf(cellFlags, tracked.out, { keep: false });
    // A cell that cannot delete its cluster says so and the matrix goes on.
    const provider: ClusterProvider = {
      ...base,
      open: async (s) => {
        const h = await base.open(s);
        return { ...h, dispose: () => h.dispose().catch((err: unknown) => out.line(`could not delete ${h.name}: ${messageOf(err)}`)) };
      },
    };
    const run = await sessionOf({
      suites, flags: cellFlags, provider, signal,
      openPhase: tracked.phase,
      onOpenFailed: async (err, f) => {
        openFailed = true;
        const cell = cellWithoutRun(asked, 'error', `cluster creation failed: ${messageOf(err)}`, f.openMs);
        out.line(cell.reason);
        await writeCell(dir, cell);
      },
      hooks: {
        onPhase: (p) => setPhase(p === 'running suites' ? `running suites on ${label}` : p === 'closing the cluster' ? 'deleting the cluster' : `creating ${label}`),
        onOpened: (h, ms) => {
          opened = true;
          openMs = ms;
          out.done(`cluster ${h.name} ready (${formatDuration(ms)})`);
        },
      },
    });
    const cell = cellFromRun(asked, run.result, { createMs: run.openMs, suiteMs: run.runMs });
    await writeCell(dir, cell);
    out.line(`${label}: ${cell.status} (${cell.reason}); exit ${run.exitCode}`);
  } catch (err) {
    // Open failures wrote their cell already; bad flags and a run that broke write it here.
    if (!openFailed) await writeCell(dir, cellWithoutRun(asked, 'error', opened ? messageOf(err) : `cluster creation failed: ${messageOf(err)}`, openMs));
  }
}

function keptNote(flags: ClusterFlags): ((c: KindCluster) => void) | undefined {
  if (!flags.keepCluster) return undefined;
  return (c) => process.stderr.write(`kept cluster ${c.name}: KUBECONFIG=${c.kubeconfigPath}; delete it with: npx kconform cluster down --name ${c.name}\n`);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** --parallel auto|N: auto sizes it from the host's CPUs (harness/run/concurrency.ts). */
function parallelOf(text: string): number {
  if (text === 'auto') return PARALLEL_AUTO;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new CliError(`--parallel: expected auto or a whole number of at least 1, got '${text}'`, EXIT.badInput);
  return positiveInt(text, '--parallel');
}
