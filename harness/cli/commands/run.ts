import path from 'node:path';
import { Command, Option } from 'commander';
import { loadSuites, SuiteError } from '../../suite/load.ts';
import { buildPlan, type EvidencePolicy, type KeepPolicy, type RunOptions } from '../../plan/plan.ts';
import { newNonce, newRunId } from '../../plan/ids.ts';
import { runPlan } from '../../run/runner.ts';
import { PARALLEL_AUTO } from '../../run/concurrency.ts';
import { createReporters } from '../../report/registry.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { durationMs, nonNegativeInt, positiveInt } from '../flag-values.ts';
import { interruptController } from '../signals.ts';
import { connect } from '../connect.ts';
import { probeImages } from '../../images/probe-images.ts';
import { repoPath } from '../../paths.ts';
import type { RunResult } from '../../results/model.ts';
import { addClusterOptions, bringUp, type ClusterFlags } from '../cluster-options.ts';
import { stepPrinter } from '../progress.ts';
import { ClusterRequestConflict, resolveClusterRequest, type ClusterField } from '../../cluster/kind/request.ts';
import type { ClusterRequest } from '../../suite/schema.ts';
import { cellFromRun, cellWithoutRun, writeCell } from '../../matrix/cell.ts';
import type { ClusterShape } from '../../cluster/shape.ts';
import { mergeRerun, selectFailed } from '../../run/rerun.ts';
import { readResultsFile } from '../../report/json.ts';
import { reportNoRun, trackPhase } from '../no-run-report.ts';
import { addSelectionOptions, selectionOf, type SelectionFlags } from '../selection-options.ts';
import { addOutputDirOption, addReporterOption, reportersOf } from '../output-options.ts';
import { describeSelection } from '../../plan/select.ts';
import { builtInLabels } from '../../checks/labels.ts';
import { holdBackDisruptive } from '../../run/disruptive.ts';
import { ReporterMultiplexer } from '../../report/multiplexer.ts';
import { stdoutReporters, stdoutTaken } from '../../report/stdout-reporters.ts';
import { printPlanList } from '../plan-list.ts';
import { withShard } from '../../report/merge.ts';
import { describeTarget } from '../target.ts';

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

/** `existing: false` (conformance, matrix): the cluster is kconform's own, so no --kubeconfig, --context or --rerun-failed. */
export function addRunOptions(cmd: Command, target: { existing: boolean } = { existing: true }): Command {
  if (target.existing) {
    cmd
      .option('--kubeconfig <file>', 'kubeconfig of the cluster to test (default: $KUBECONFIG or ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context to use')
      .option('--allow-disruptive', 'run destructive checks (drain, taint, node commands, privileged pods) on a cluster kconform did not create');
  }
  addSelectionOptions(addReporterOption(addOutputDirOption(cmd, 'reports', 'folder for reports (junit.xml, results.json, index.html, evidence/)')));
  cmd
    .option('--junit <file>', 'JUnit XML path (default <reports>/junit.xml)')
    .option('--no-junit', 'do not write JUnit')
    .option('--json <file>', 'JSON results path (default <reports>/results.json)')
    .option('--no-json', 'do not write JSON')
    .option('--html <file>', 'HTML report path (default <reports>/index.html)')
    .option('--no-html', 'do not write HTML')
    .option('--parallel <n>', 'checks run at once over all suites (auto: from the host\'s CPUs, 2-4; 1: one at a time, in suite order); a check that changes nodes always runs alone', 'auto')
    .addOption(new Option('--keep [when]', 'keep namespaces for debugging').choices(['never', 'on-failure', 'always']).default('never'))
    .option('--filter <pattern>', 'only checks whose <suite>/<check> id contains this (or matches /regex/); a leading ! leaves them out instead')
    .option('--read-only', 'never change anything outside kconform namespaces; destructive checks are skipped')
    .addOption(new Option('--evidence <when>', 'when to collect events, status and logs').choices(['always', 'failure', 'never']).default('failure'))
    .option('--retries <n>', 'override every check\'s retries')
    .option('--no-retries', 'forbid retries (graders)')
    .option('--max-wait <duration>', 'cap the wait of assert, exec and http checks (how long they give the cluster to come right)');
  if (target.existing) cmd.option('--rerun-failed <results.json>', 'rerun exactly the checks that failed or errored in that report; the new report merges both');
  return cmd;
}

export function registerRun(program: Command): void {
  const cmd = program.command('run').description('Run suites against a cluster: an existing one (--provider kubeconfig, the default) or a kind cluster created for the run (--provider kind)');
  cmd.argument('[suites...]', 'suite files or folders', ['suites']);
  cmd.addOption(new Option('--provider <provider>', 'kubeconfig: the cluster of --kubeconfig/--context; kind: create a kind cluster, run, delete it').choices(['kubeconfig', 'kind']).default('kubeconfig'));
  addRunOptions(addClusterOptions(cmd)).action(async (paths: string[], flags: RunFlags & ClusterFlags & { provider: 'kubeconfig' | 'kind' }, self: Command) => {
    const suites = await loadOrExplain(paths);
    if (flags.list) return printPlanList(suites, flags);
    const { request, from } = resolveRequest(flags, self, suites.map((l) => ({ file: path.relative(process.cwd(), l.file), cluster: l.suite.cluster })));
    if (request.provider !== 'kind') {
      const asked = Object.entries(from).filter(([f, src]) => f !== 'provider' && src !== 'default' && src !== 'flag').map(([f, src]) => `${f} (${src})`);
      if (asked.length) process.stderr.write(`note: --provider kubeconfig runs on an existing cluster; the suites' cluster settings ${asked.join(', ')} are not applied\n`);
      const result = await runSuites(paths, flags);
      process.exitCode = exitCodeOf(result);
      return;
    }
    if (flags.kubeconfig || flags.context) throw new CliError('--kubeconfig/--context name an existing cluster: use them with --provider kubeconfig, not kind', EXIT.badInput);
    process.exitCode = await runOnKind(paths, flags, request, from);
  });
}

export async function loadOrExplain(paths: string[]) {
  try {
    return await loadSuites(paths);
  } catch (err) {
    if (err instanceof SuiteError) throw new CliError(err.format(), EXIT.badInput);
    throw err;
  }
}

/** Flag keys of commander for each cluster field. */
const OPTION_KEY: Record<ClusterField, string> = {
  provider: 'provider',
  nodes: 'nodes',
  cni: 'cni',
  cri: 'cri',
  kubernetesVersion: 'k8sVersion',
  podSubnet: 'podSubnet',
  serviceSubnet: 'serviceSubnet',
};

function resolveRequest(flags: ClusterFlags & { provider: string }, self: Command, suites: { file: string; cluster?: ClusterRequest | undefined }[]) {
  const explicit = new Set<ClusterField>();
  for (const [field, key] of Object.entries(OPTION_KEY) as [ClusterField, string][]) {
    const src = self.getOptionValueSource(key);
    if (src === 'cli' || src === 'env') explicit.add(field);
  }
  const values: ClusterRequest = {
    provider: flags.provider as 'kind' | 'kubeconfig',
    nodes: Number(flags.nodes),
    cni: flags.cni,
    cri: flags.cri,
    ...(flags.k8sVersion ? { kubernetesVersion: flags.k8sVersion } : {}),
    ...(flags.podSubnet ? { podSubnet: flags.podSubnet } : {}),
    ...(flags.serviceSubnet ? { serviceSubnet: flags.serviceSubnet } : {}),
  };
  try {
    return resolveClusterRequest({ values, explicit }, suites, {});
  } catch (err) {
    if (err instanceof ClusterRequestConflict) throw new CliError(err.message, EXIT.badInput);
    throw err;
  }
}

/**
 * `conformance`: as `run --provider kind`, always on a new kind cluster, whose
 * shape the suites' `cluster:` blocks and the flags decide together.
 */
export async function conformanceOnKind(paths: string[], flags: RunFlags & ClusterFlags, self: Command): Promise<number> {
  const suites = await loadOrExplain(paths);
  if (flags.list) {
    await printPlanList(suites, flags);
    return EXIT.ok;
  }
  const { request, from } = resolveRequest({ ...flags, provider: 'kind' }, self, suites.map((l) => ({ file: path.relative(process.cwd(), l.file), cluster: l.suite.cluster })));
  return runOnKind(paths, flags, { ...request, provider: 'kind' }, from);
}

/** `run --provider kind`: create the cluster, run the suites on it, write cell.json beside the reports, delete it. */
async function runOnKind(paths: string[], flags: RunFlags & ClusterFlags, request: ClusterRequest, from: Partial<Record<ClusterField, string>>): Promise<number> {
  const out = stepPrinter();
  const fromSuites = Object.entries(from).filter(([, src]) => src !== 'flag' && src !== 'default');
  for (const [field, src] of fromSuites) out.line(`cluster ${field}: ${String(request[field as ClusterField])} (from ${src})`);
  const clusterFlags: ClusterFlags = {
    ...flags,
    nodes: String(request.nodes ?? flags.nodes),
    cni: request.cni ?? flags.cni,
    cri: request.cri ?? flags.cri,
    ...(request.kubernetesVersion ? { k8sVersion: request.kubernetesVersion } : {}),
    ...(request.podSubnet ? { podSubnet: request.podSubnet } : {}),
    ...(request.serviceSubnet ? { serviceSubnet: request.serviceSubnet } : {}),
  };
  const asked = { cni: clusterFlags.cni, cri: clusterFlags.cri };
  let phase = 'creating the cluster';
  const interrupt = interruptController((sig) => out.line(`${sig}: stopping (${phase}); cleaning up, Ctrl-C again to exit at once`));
  const t0 = Date.now();
  const tracked = trackPhase(out, 'creating the cluster');
  let handle;
  try {
    handle = await bringUp(clusterFlags, tracked.out, interrupt.signal);
  } catch (err) {
    await writeCell(flags.reports, cellWithoutRun(asked, 'error', err instanceof Error ? err.message : String(err), Date.now() - t0)).catch(() => {});
    if (!interrupt.signal.aborted) {
      await reportNoRun(err, { paths, flags, phase: tracked.phase(), cluster: { name: clusterFlags.name, provider: 'kind', cni: asked.cni, cri: asked.cri }, startedAt: new Date(t0) });
    }
    interrupt.dispose();
    throw err;
  }
  const createMs = Date.now() - t0;
  try {
    out.done(`cluster ${handle.name} ready`);
    phase = 'running suites';
    const t1 = Date.now();
    const result = await runSuites(paths, { ...flags, kubeconfig: handle.kubeconfigPath }, { name: 'kind', cluster: handle.name }, interrupt.signal);
    await writeCell(flags.reports, cellFromRun(asked, result, { createMs, suiteMs: Date.now() - t1 }));
    return exitCodeOf(result);
  } finally {
    phase = 'deleting the cluster';
    if (flags.keepCluster) process.stderr.write(`kept cluster ${handle.name}: KUBECONFIG=${handle.kubeconfigPath}; delete it with: npx kconform cluster down --name ${handle.name}\n`);
    await handle.release();
    interrupt.dispose();
  }
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
  const rerun = previous ? selectFailed(previous) : undefined;
  if (previous && rerun && rerun.ids.size === 0) {
    throw new CliError(`${flags.rerunFailed}: nothing to rerun: no check failed or errored in run ${previous.runId}`, EXIT.ok);
  }
  let suites;
  try {
    suites = await loadSuites(rerun ? rerun.files : paths);
  } catch (err) {
    if (err instanceof SuiteError) throw new CliError(err.format(), EXIT.badInput);
    throw err;
  }
  const { selection, shard } = selectionOf(flags);
  const stdoutNames = reportersOf(flags.reporter);
  const options: RunOptions = {
    selection,
    ...(shard ? { shard } : {}),
    parallel: flags.parallel === 'auto' ? PARALLEL_AUTO : positiveInt(flags.parallel, '--parallel'),
    keep: flags.keep === true ? 'always' : flags.keep,
    readOnly: !!flags.readOnly,
    evidence: flags.evidence,
    ...(rerun ? { only: rerun.ids } : {}),
    ...(flags.retries === false ? { retries: 0 } : flags.retries !== undefined ? { retries: nonNegativeInt(flags.retries, '--retries') } : {}),
    ...(flags.maxWait !== undefined ? { maxWaitMs: durationMs(flags.maxWait, '--max-wait', '5s') } : {}),
  };
  const runId = newRunId();
  const planned = await buildPlan({ suites, runId, nonce: newNonce(), options, fixturesDir: repoPath('fixtures'), images: probeImages(), builtInLabels });
  if (planned.suites.length === 0) {
    const by = describeSelection(selection);
    throw new CliError(`no checks selected${by ? ` by ${by}` : ''}${shard ? ` in shard ${shard.index}/${shard.total}` : ''}`, EXIT.badInput);
  }

  // Said once, before anything is sent: which cluster this is about to test.
  const target = describeTarget(flags, provider);
  if (target) process.stderr.write(`kconform: testing ${target}${shard ? `, shard ${shard.index}/${shard.total}` : ''}\n`);
  const { kube, cluster } = await connect(flags, provider).catch(async (err: unknown) => {
    // Unreachable: the reports still say so (JUnit, results.json with the cause), then exit 3.
    await reportNoRun(err, { suites: planned.suites, flags, phase: 'connecting to the cluster', cluster: { name: provider.cluster || flags.context || 'kubeconfig', provider: provider.name }, runId });
    throw err;
  });
  const { plan, held } = holdBackDisruptive(planned, new Set(suites.filter((l) => l.suite.disruptive).map((l) => l.suite.name)), {
    ownCluster: provider.name === 'kind',
    allow: !!flags.allowDisruptive,
    target: target ?? `context ${kube.contextName} (${kube.server})`,
  });
  if (held.length) process.stderr.write(`kconform: ${held.length} destructive check(s) will be skipped (${held.join(', ')}): ${target} was not created by kconform; --allow-disruptive runs them\n`);
  const files = createReporters({
    junit: flags.junit === false ? false : (flags.junit ?? path.join(flags.reports, 'junit.xml')),
    json: flags.json === false ? false : (flags.json ?? path.join(flags.reports, 'results.json')),
    html: flags.html === false ? false : (flags.html ?? path.join(flags.reports, 'index.html')),
    console: process.env.CI === 'true' || !process.stdout.isTTY ? 'plain' : 'fancy',
    evidenceDir: path.join(flags.reports, 'evidence'),
    // A JSON or JUnit document on stdout: the console lines go to stderr.
    ...(stdoutTaken(stdoutNames) ? { stdout: process.stderr } : {}),
  });
  const reporter = new ReporterMultiplexer([files, ...stdoutReporters(stdoutNames)]);
  // The shape was read with the cluster info; checks whose needs it does not meet are skipped.
  const shape = cluster.shape as ClusterShape | undefined;
  const base = {
    kube,
    reporter,
    cluster,
    ...(shape ? { shape } : {}),
    // A shard's results say which part they are, so `kconform merge` puts them back in order.
    ...(previous || shard ? { finalize: (r: RunResult) => withShard(previous ? mergeRerun(previous, r) : r, shard) } : {}),
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
