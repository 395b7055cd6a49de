// The kind cluster flags shared by `cluster up`, `run --provider kind`,
// `conformance` and `matrix`. Definitions only: the bring-up behind them is in
// kind-bring-up.ts, loaded when a command runs (a command's --help stays light).
import { Option, type Command } from 'commander';
import { CNI_CHOICES } from '../suite/cni-data.ts';
import { IMAGES_MODES, type ImagesMode } from '../cluster/kind/images-mode.ts';

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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

