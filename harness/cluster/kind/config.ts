// Generates the kind cluster config from kconform's options. Pure: tested without kind.
import { stringify } from 'yaml';

export interface KindClusterOptions {
  name: string;
  nodes: number;
  cri: 'containerd' | 'docker';
  /** Skip kind's default CNI (kindnet) when kconform installs one. */
  disableDefaultCNI: boolean;
  podSubnet: string;
  serviceSubnet: string;
  nodeImage: string;
  kubernetesVersion: string;
}

export const CRI_DOCKERD_SOCKET = 'unix:///run/cri-dockerd.sock';

/** Kubelets from 1.35 on refuse cgroup v1 unless told otherwise; kind never says it. */
export function needsCgroupV1Opt(k8sVersion: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(k8sVersion);
  return !!m && (Number(m[1]) > 1 || Number(m[2]) >= 35);
}

export function kindConfig(o: KindClusterOptions, host: { cgroupV1: boolean }): string {
  const patches: string[] = [];
  if (host.cgroupV1 && needsCgroupV1Opt(o.kubernetesVersion)) {
    patches.push(stringify({ kind: 'KubeletConfiguration', failCgroupV1: false }));
  }
  if (o.cri === 'docker') {
    // kubeadm would otherwise find containerd's socket too and refuse to choose.
    patches.push(stringify({ kind: 'InitConfiguration', nodeRegistration: { criSocket: CRI_DOCKERD_SOCKET } }));
    patches.push(stringify({ kind: 'JoinConfiguration', nodeRegistration: { criSocket: CRI_DOCKERD_SOCKET } }));
  }
  const nodes = [{ role: 'control-plane', image: o.nodeImage }];
  for (let i = 1; i < o.nodes; i++) nodes.push({ role: 'worker', image: o.nodeImage });
  const config = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: o.name,
    networking: {
      disableDefaultCNI: o.disableDefaultCNI,
      podSubnet: o.podSubnet,
      serviceSubnet: o.serviceSubnet,
      kubeProxyMode: 'iptables',
    },
    nodes,
    ...(patches.length ? { kubeadmConfigPatches: patches } : {}),
  };
  return stringify(config);
}
