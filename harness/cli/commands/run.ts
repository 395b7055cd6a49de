// `kconform run`: flags -> a run session (harness/cli/run-session.ts, loaded when
// the command runs, so `run --help` loads no Kubernetes client).
import path from 'node:path';
import { Command, Option } from 'commander';
import type { LoadedSuite } from '../../suite/load.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { addClusterOptions, type ClusterFlags } from '../cluster-options.ts';
import { ClusterRequestConflict, resolveClusterRequest, type ClusterField } from '../../cluster/kind/request.ts';
import type { ClusterRequest } from '../../suite/schema.ts';
import { addSelectionOptions } from '../selection-options.ts';
import { addOutputDirOption, addReporterOption } from '../output-options.ts';
import type { RunFlags } from '../run-session.ts';

export type { RunFlags } from '../run-session.ts';

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
    .option('--parallel <n>', 'checks run at once over all suites (auto: from the host\'s CPUs, 2-4; 1: one at a time, in suite order); a check that changes nodes runs alone, beside only checks whose pods tolerate its change', 'auto')
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
    // --rerun-failed: the suites are those of the earlier report's failures.
    const session = await import('../run-session.ts');
    const rerun = flags.rerunFailed ? await session.rerunOf(flags.rerunFailed) : undefined;
    const suites = await loadOrExplain(rerun ? rerun.files : paths);
    if (flags.list) return listPlan(suites, flags);
    const { request, from } = resolveRequest(flags, self, suites);
    if (request.provider !== 'kind') {
      const asked = Object.entries(from).filter(([f, src]) => f !== 'provider' && src !== 'default' && src !== 'flag').map(([f, src]) => `${f} (${src})`);
      if (asked.length) process.stderr.write(`note: --provider kubeconfig runs on an existing cluster; the suites' cluster settings ${asked.join(', ')} are not applied\n`);
      process.exitCode = await session.runOnKubeconfig(suites, flags, rerun);
      return;
    }
    if (flags.kubeconfig || flags.context) throw new CliError('--kubeconfig/--context name an existing cluster: use them with --provider kubeconfig, not kind', EXIT.badInput);
    process.exitCode = await session.runOnKind(suites, kindFlags(flags, request), notesOf(request, from));
  });
}

async function listPlan(suites: LoadedSuite[], flags: Parameters<typeof import('../plan-list.ts').printPlanList>[1]): Promise<void> {
  const { printPlanList } = await import('../plan-list.ts');
  await printPlanList(suites, flags);
}

export async function loadOrExplain(paths: string[]): Promise<LoadedSuite[]> {
  const { loadSuites, SuiteError } = await import('../../suite/load.ts');
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

function resolveRequest(flags: ClusterFlags & { provider: string }, self: Command, loaded: LoadedSuite[]) {
  const suites = loaded.map((l) => ({ file: path.relative(process.cwd(), l.file), cluster: l.suite.cluster }));
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
    await listPlan(suites, flags);
    return EXIT.ok;
  }
  const { request, from } = resolveRequest({ ...flags, provider: 'kind' }, self, suites);
  const { runOnKind } = await import('../run-session.ts');
  return runOnKind(suites, kindFlags(flags, { ...request, provider: 'kind' }), notesOf(request, from));
}

/** The cluster flags with what the suites' `cluster:` blocks asked for. */
function kindFlags<F extends RunFlags & ClusterFlags>(flags: F, request: ClusterRequest): F {
  return {
    ...flags,
    nodes: String(request.nodes ?? flags.nodes),
    cni: request.cni ?? flags.cni,
    cri: request.cri ?? flags.cri,
    ...(request.kubernetesVersion ? { k8sVersion: request.kubernetesVersion } : {}),
    ...(request.podSubnet ? { podSubnet: request.podSubnet } : {}),
    ...(request.serviceSubnet ? { serviceSubnet: request.serviceSubnet } : {}),
  };
}

/** "cluster cni: calico (from suites/x.yaml)" for each field a suite decided. */
function notesOf(request: ClusterRequest, from: Partial<Record<ClusterField, string>>): string[] {
  return Object.entries(from)
    .filter(([, src]) => src !== 'flag' && src !== 'default')
    .map(([field, src]) => `cluster ${field}: ${String(request[field as ClusterField])} (from ${src})`);
}
