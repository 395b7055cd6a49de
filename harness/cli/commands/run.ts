import path from 'node:path';
import { Command, Option } from 'commander';
import { loadSuites, SuiteError } from '../../suite/load.ts';
import { buildPlan, type EvidencePolicy, type KeepPolicy, type RunOptions } from '../../plan/plan.ts';
import { newNonce, newRunId } from '../../plan/ids.ts';
import { runPlan } from '../../run/runner.ts';
import { createReporters } from '../../report/registry.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { interruptController } from '../signals.ts';
import { connect } from '../connect.ts';
import { probeImages } from '../../images/probe-images.ts';
import { repoPath } from '../../paths.ts';
import type { RunResult } from '../../results/model.ts';
import type { ClusterShape } from '../../cluster/shape.ts';
import { mergeRerun, selectFailed } from '../../run/rerun.ts';
import { readResultsFile } from '../../report/json.ts';

export interface RunFlags {
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
  rerunFailed?: string;
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig of the cluster to test (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--reports <dir>', 'folder for reports', 'reports')
    .option('--junit <file>', 'JUnit XML path (default <reports>/junit.xml)')
    .option('--no-junit', 'do not write JUnit')
    .option('--json <file>', 'JSON results path (default <reports>/results.json)')
    .option('--no-json', 'do not write JSON')
    .option('--html <file>', 'HTML report path (default <reports>/index.html)')
    .option('--no-html', 'do not write HTML')
    .option('--parallel <n>', 'suites run at once', '1')
    .addOption(new Option('--keep [when]', 'keep namespaces for debugging').choices(['never', 'on-failure', 'always']).default('never'))
    .option('--filter <pattern>', 'only checks whose <suite>/<check> id contains this (or matches /regex/)')
    .option('--read-only', 'never change anything outside kconform namespaces; destructive checks are skipped')
    .addOption(new Option('--evidence <when>', 'when to collect events, status and logs').choices(['always', 'failure', 'never']).default('failure'))
    .option('--retries <n>', 'override every check\'s retries')
    .option('--no-retries', 'forbid retries (graders)')
    .option('--rerun-failed <results.json>', 'rerun exactly the checks that failed or errored in that report; the new report merges both');
}

export function registerRun(program: Command): void {
  addRunOptions(program.command('run').description('Run suites against a cluster').argument('[suites...]', 'suite files or folders', ['suites'])).action(
    async (paths: string[], flags: RunFlags) => {
      const result = await runSuites(paths, flags);
      process.exitCode = exitCodeOf(result);
    },
  );
}

export function exitCodeOf(r: RunResult): number {
  if (r.interrupted) return EXIT.interrupted;
  if (r.summary.errored > 0) return EXIT.harnessError;
  if (r.summary.failed > 0) return EXIT.checkFailed;
  return EXIT.ok;
}

export async function runSuites(
  paths: string[],
  flags: RunFlags,
  provider = { name: 'kubeconfig', cluster: '' },
  outer?: AbortSignal,
): Promise<RunResult> {
  const previous = flags.rerunFailed ? await readPrevious(flags.rerunFailed) : undefined;
  const selection = previous ? selectFailed(previous) : undefined;
  if (previous && selection && selection.ids.size === 0) {
    throw new CliError(`${flags.rerunFailed}: nothing to rerun: no check failed or errored in run ${previous.runId}`, EXIT.ok);
  }
  let suites;
  try {
    suites = await loadSuites(selection ? selection.files : paths);
  } catch (err) {
    if (err instanceof SuiteError) throw new CliError(err.format(), EXIT.badInput);
    throw err;
  }
  const options: RunOptions = {
    parallel: positiveInt(flags.parallel, '--parallel'),
    keep: flags.keep === true ? 'always' : flags.keep,
    readOnly: !!flags.readOnly,
    evidence: flags.evidence,
    ...(flags.filter ? { filter: flags.filter } : {}),
    ...(selection ? { only: selection.ids } : {}),
    ...(flags.retries === false ? { retries: 0 } : flags.retries !== undefined ? { retries: nonNegativeInt(flags.retries, '--retries') } : {}),
  };
  const runId = newRunId();
  const plan = await buildPlan({ suites, runId, nonce: newNonce(), options, fixturesDir: repoPath('fixtures'), images: probeImages() });
  if (plan.suites.length === 0) throw new CliError(`no checks selected${flags.filter ? ` by --filter ${flags.filter}` : ''}`, EXIT.badInput);

  const { kube, cluster } = await connect(flags, provider);
  const reporter = createReporters({
    junit: flags.junit === false ? false : (flags.junit ?? path.join(flags.reports, 'junit.xml')),
    json: flags.json === false ? false : (flags.json ?? path.join(flags.reports, 'results.json')),
    html: flags.html === false ? false : (flags.html ?? path.join(flags.reports, 'index.html')),
    console: process.env.CI === 'true' || !process.stdout.isTTY ? 'plain' : 'fancy',
    evidenceDir: path.join(flags.reports, 'evidence'),
  });
  // The shape was read with the cluster info; checks whose needs it does not meet are skipped.
  const shape = cluster.shape as ClusterShape | undefined;
  const base = {
    kube,
    reporter,
    cluster,
    ...(shape ? { shape } : {}),
    ...(previous ? { finalize: (r: RunResult) => mergeRerun(previous, r) } : {}),
  };
  if (outer) return await runPlan(plan, { ...base, signal: outer });
  const interrupt = interruptController((sig) => reporter.onLog?.(`${sig}: stopping checks and cleaning up (press Ctrl-C again to exit at once)`));
  try {
    return await runPlan(plan, { ...base, signal: interrupt.signal });
  } finally {
    interrupt.dispose();
  }
}

async function readPrevious(file: string): Promise<RunResult> {
  try {
    return await readResultsFile(file);
  } catch (err) {
    throw new CliError(`--rerun-failed: ${err instanceof Error ? err.message : String(err)}`, EXIT.badInput);
  }
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag}: expected a whole number of at least 1, got '${v}'`, EXIT.badInput);
  return n;
}

function nonNegativeInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag}: expected a whole number of 0 or more, got '${v}'`, EXIT.badInput);
  return n;
}
