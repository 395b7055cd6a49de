// Options and bring-up shared by `cluster up`, `run --provider kind` and
// `conformance`: Docker set up if needed, images built if missing, kind cluster.
import { Option, type Command } from 'commander';
import { dockerAvailable } from '../cluster/docker.ts';
import { kindUp, MissingImagesError } from '../cluster/kind/provider.ts';
import type { ClusterHandle } from '../cluster/provider.ts';
import { runImageScript } from '../images/scripts.ts';
import { KindError } from '../cluster/kind/kind-cli.ts';
import { WaitTimeoutError } from '../kube/errors.ts';
import { CliError, EXIT } from './exit-codes.ts';
import type { StepPrinter } from './progress.ts';
import { CNI_CHOICES } from '../cluster/cni/index.ts';

export interface ClusterFlags {
  name: string;
  nodes: string;
  cni: string;
  cri: 'containerd' | 'docker';
  k8sVersion?: string;
  reuse?: boolean;
  keepCluster?: boolean;
}

export const DEFAULT_CLUSTER = 'kconform';

export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'kind cluster name', DEFAULT_CLUSTER)
    .option('--nodes <n>', 'nodes (1 control plane + n-1 workers)', '3')
    .addOption(new Option('--cni <cni>', 'CNI plugin').choices([...CNI_CHOICES]).default('flannel'))
    .addOption(new Option('--cri <cri>', 'container runtime').choices(['containerd', 'docker']).default('containerd'))
    .option('--k8s-version <v>', 'Kubernetes version (default: the one pinned in harness/images/versions.env)')
    .option('--reuse', 'run on an existing kind cluster of this name')
    .option('--keep-cluster', 'do not delete the cluster at the end');
}

export async function bringUp(flags: ClusterFlags, out: StepPrinter, signal: AbortSignal, opts: { keep?: boolean } = {}): Promise<ClusterHandle> {
  const nodes = Number(flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 10) throw new CliError(`--nodes: expected a whole number from 1 to 10, got '${flags.nodes}'`, EXIT.badInput);
  const docker = await dockerAvailable();
  if (!docker.ok) {
    out.step('setting up Docker', docker.reason);
    await runImageScript('setup-host.sh', [], { onLine: (l) => out.line(`    ${l}`), signal });
  }
  try {
    return await kindUp(
      {
        name: flags.name,
        nodes,
        cni: flags.cni,
        cri: flags.cri,
        ...(flags.k8sVersion ? { kubernetesVersion: flags.k8sVersion } : {}),
        reuse: !!flags.reuse,
        keep: opts.keep ?? !!flags.keepCluster,
        buildImages: async (missing) => {
          out.step('building images', `${missing.length} missing: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}`);
          await runImageScript('build.sh', [...(flags.k8sVersion ? ['--k8s-version', flags.k8sVersion] : []), '--cri', flags.cri], { onLine: (l) => out.line(`    ${l}`), signal });
        },
      },
      (step, detail) => out.step(step, detail),
      signal,
    );
  } catch (err) {
    if (err instanceof MissingImagesError) throw new CliError(err.message, EXIT.harnessError);
    if (err instanceof KindError || err instanceof WaitTimeoutError) throw new CliError(err.message, EXIT.harnessError);
    throw err;
  }
}
