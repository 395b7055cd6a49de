// Generates the kind cluster config from kconform's options. Pure: tested without kind.
import { stringify } from 'yaml';
import { CERTS_D, MIRROR_CONTAINERD_PATCH } from './registry-mirror.ts';

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
  /**
   * Host folder of hosts.toml files (registry mirrors): mounted read-only at
   * /etc/containerd/certs.d on every node, and containerd pointed at it.
   * containerd nodes only; docker-CRI nodes get mirrored images loaded instead.
   */
  registryMirrorDir?: string;
  /**
   * kube-controller-manager --node-monitor-grace-period (e.g. "20s"): how long a
   * silent kubelet keeps its node Ready. kconform's own test cluster shortens it
   * so the stopped-kubelet test does not wait the default 50 s.
   */
  nodeMonitorGracePeriod?: string;
}

export const CRI_DOCKERD_SOCKET = 'unix:///run/cri-dockerd.sock';

/** Kubelets from 1.35 on refuse cgroup v1 unless told otherwise; kind never says it. */
export function needsCgroupV1Opt(k8sVersion: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(k8sVersion);
  return !!m && (Number(m[1]) > 1 || Number(m[2]) >= 35);
}

/**
 * Kubernetes 1.36 turned on ExtendWebSocketsToKubelet: the API server hands exec
 * and attach streams to the kubelet, which then follows cri-dockerd's
 * scheme-less streaming URL over HTTPS and fails ("server gave HTTP response to
 * HTTPS client"). Docker-CRI clusters of 1.36+ switch the gate off (measured
 * here with cri-dockerd 0.3.17 and Kubernetes 1.37.2).
 */
export function needsWebSocketGateOff(cri: 'containerd' | 'docker', k8sVersion: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(k8sVersion);
  return cri === 'docker' && !!m && (Number(m[1]) > 1 || Number(m[2]) >= 36);
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
  if (o.nodeMonitorGracePeriod) {
    // A strategic merge replaces kubeadm v1beta4's extraArgs list whole, so kind's
    // own argument is repeated here.
    patches.push(stringify({
      kind: 'ClusterConfiguration',
      controllerManager: {
        extraArgs: [
          { name: 'enable-hostpath-provisioner', value: 'true' },
          { name: 'node-monitor-grace-period', value: o.nodeMonitorGracePeriod },
        ],
      },
    }));
  }
  const mirror = o.registryMirrorDir && o.cri === 'containerd' ? o.registryMirrorDir : undefined;
  const node = (role: string) => ({
    role,
    image: o.nodeImage,
    ...(mirror ? { extraMounts: [{ hostPath: mirror, containerPath: CERTS_D, readOnly: true }] } : {}),
  });
  const nodes = [node('control-plane')];
  for (let i = 1; i < o.nodes; i++) nodes.push(node('worker'));
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
    ...(needsWebSocketGateOff(o.cri, o.kubernetesVersion) ? { featureGates: { ExtendWebSocketsToKubelet: false } } : {}),
    nodes,
    ...(patches.length ? { kubeadmConfigPatches: patches } : {}),
    ...(mirror ? { containerdConfigPatches: [MIRROR_CONTAINERD_PATCH] } : {}),
  };
  return stringify(config);
}
