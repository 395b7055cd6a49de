// Options and bring-up shared by `cluster up`, `run --provider kind` and
// `conformance`: Docker set up if needed, images built if missing, kind cluster.
import { Option, type Command } from 'commander';
import { dockerAvailable } from '../cluster/docker.ts';
import { CniPitfallError, kindUp, MissingImagesError } from '../cluster/kind/provider.ts';
import { parseRegistryMirror, type RegistryMirror } from '../cluster/kind/registry-mirror.ts';
import type { ClusterHandle } from '../cluster/provider.ts';
import { runImageScript, ScriptError } from '../images/scripts.ts';
import { ProgramMissingError } from '../programs.ts';
import { KindError } from '../cluster/kind/kind-cli.ts';
import { WaitTimeoutError } from '../kube/errors.ts';
import { CliError, EXIT } from './exit-codes.ts';
import type { StepPrinter } from './progress.ts';
import { CNI_CHOICES } from '../cluster/cni/index.ts';
import { IMAGES_MODES, type ImagesMode } from '../cluster/kind/image-source.ts';
import { imageSourceOptions } from './image-source-options.ts';
import { parseImageRepository } from '../cluster/kind/config.ts';
import { MirrorUnreachableError } from '../cluster/kind/mirror-reach.ts';

export interface ClusterFlags {
  name: string;
  nodes: string;
  cni: string;
  cri: 'containerd' | 'docker';
  k8sVersion?: string;
  podSubnet?: string;
  serviceSubnet?: string;
  nodeImage?: string;
  registryMirror?: string[];
  pullImages?: boolean;
  cniPluginsDir?: string;
  /** auto | pull | build (see harness/cluster/kind/image-source.ts). */
  images?: ImagesMode;
  imageRepository?: string;
  reuse?: boolean;
  keepCluster?: boolean;
}

export const DEFAULT_CLUSTER = 'kconform';

/** `cniAndCri: false` for commands that take lists of them (matrix). */
export function addClusterOptions(cmd: Command, opts: { cniAndCri?: boolean } = {}): Command {
  cmd.option('--name <name>', 'kind cluster name', DEFAULT_CLUSTER).option('--nodes <n>', 'nodes (1 control plane + n-1 workers)', '3');
  if (opts.cniAndCri !== false) {
    cmd
      .addOption(new Option('--cni <cni>', 'CNI plugin').choices([...CNI_CHOICES]).default('flannel'))
      .addOption(new Option('--cri <cri>', 'container runtime').choices(['containerd', 'docker']).default('containerd'));
  }
  return cmd
    .option('--k8s-version <v>', 'Kubernetes version (default: the one pinned in harness/images/versions.env)')
    .option('--pod-subnet <cidr>', 'pod subnet (kind networking.podSubnet; the CNI is configured with it)', '10.244.0.0/16')
    .option('--service-subnet <cidr>', 'service subnet (kind networking.serviceSubnet)', '10.96.0.0/16')
    .option('--node-image <image>', 'kind node image (default: kconform/node[-docker]:<k8s> from the offline builder; e.g. kindest/node:v1.37.0 where a registry is reachable)')
    .option('--registry-mirror <[registry=]host:port>', 'pull images through this registry mirror (containerd nodes are configured with it; repeatable)', collect, [] as string[])
    .option('--pull-images', 'docker pull missing images first (needs a reachable registry)')
    .addOption(new Option('--images <mode>', 'where images come from: pull (kind\'s node image and upstream CNI images, through --registry-mirror when given), build (offline builder), auto (build when the built images are here, else pull when a registry or the mirror answers, else build)').choices([...IMAGES_MODES]).default('auto'))
    .option('--cni-plugins-dir <dir>', 'folder of CNI plugin binaries (bridge, flannel, ptp...) to copy into nodes that lack them')
    .option('--image-repository <repo>', 'as kubeadm\'s --image-repository: control-plane images and pause from this repository (e.g. a mirror of registry.k8s.io); containerd\'s sandbox image or cri-dockerd\'s --pod-infra-container-image too')
    .option('--reuse', 'run on an existing kind cluster of this name')
    .option('--keep-cluster', 'do not delete the cluster at the end');
}

function imageRepositoryFlag(text: string): string {
  try {
    return parseImageRepository(text);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), EXIT.badInput);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseMirrors(flags: Pick<ClusterFlags, 'registryMirror'>): RegistryMirror[] {
  try {
    return (flags.registryMirror ?? []).map(parseRegistryMirror);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), EXIT.badInput);
  }
}

export async function bringUp(flags: ClusterFlags, out: StepPrinter, signal: AbortSignal, opts: { keep?: boolean } = {}): Promise<ClusterHandle> {
  const nodes = Number(flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 10) throw new CliError(`--nodes: expected a whole number from 1 to 10, got '${flags.nodes}'`, EXIT.badInput);
  const mirrors = parseMirrors(flags);
  const imageRepository = flags.imageRepository === undefined ? undefined : imageRepositoryFlag(flags.imageRepository);
  try {
    const docker = await dockerAvailable();
    if (!docker.ok) {
      out.step('setting up Docker', docker.reason);
      await runImageScript('setup-host.sh', [], { onLine: (l) => out.line(`    ${l}`), signal });
    }
    const source = await imageSourceOptions(flags, mirrors, out, signal);
    return await kindUp(
      {
        name: flags.name,
        nodes,
        cni: flags.cni,
        cri: flags.cri,
        ...(flags.k8sVersion ? { kubernetesVersion: flags.k8sVersion } : {}),
        ...(flags.podSubnet ? { podSubnet: flags.podSubnet } : {}),
        ...(flags.serviceSubnet ? { serviceSubnet: flags.serviceSubnet } : {}),
        ...(flags.nodeImage ? { nodeImage: flags.nodeImage } : {}),
        ...(mirrors.length ? { registryMirrors: mirrors } : {}),
        ...(flags.pullImages ? { pullImages: true } : {}),
        ...(flags.cniPluginsDir ? { cniPluginsDir: flags.cniPluginsDir } : {}),
        ...source,
        ...(imageRepository ? { imageRepository } : {}),
        reuse: !!flags.reuse,
        keep: opts.keep ?? !!flags.keepCluster,
        buildImages: async (missing) => {
          out.step('building images', `${missing.length} missing: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}`);
          await runImageScript('build.sh', [...(flags.k8sVersion ? ['--k8s-version', flags.k8sVersion] : []), '--cri', flags.cri, '--cni', flags.cni], { onLine: (l) => out.line(`    ${l}`), signal });
        },
      },
      (step, detail) => out.step(step, detail),
      signal,
    );
  } catch (err) {
    if (err instanceof MissingImagesError || err instanceof CniPitfallError || err instanceof MirrorUnreachableError) throw new CliError(err.message, EXIT.harnessError);
    if (err instanceof KindError || err instanceof WaitTimeoutError) throw new CliError(err.message, EXIT.harnessError);
    // A program that cannot be started, or a setup/build script that failed: one line with its cause, not an internal error.
    if (err instanceof ProgramMissingError || err instanceof ScriptError) throw new CliError(err.message, EXIT.harnessError);
    // The provider's own plain errors ("a kind cluster named X exists already", "Docker is not usable") are causes, not bugs.
    if (err instanceof Error && err.constructor === Error) throw new CliError(err.message, EXIT.harnessError);
    throw err;
  }
}
