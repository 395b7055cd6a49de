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
  /**
   * kubeadm's imageRepository: the control-plane images and pause come from this
   * one repository (a mirror of registry.k8s.io); containerd's sandbox image too.
   */
  imageRepository?: string;
  /** The pause tag kubeadm lists for this version (sandbox image under imageRepository). */
  pauseTag?: string;
  /**
   * Docker CRI: host file of a systemd drop-in for cri-docker.service (see
   * criDockerdPauseDropIn), mounted into every node so cri-dockerd starts with
   * --pod-infra-container-image from imageRepository.
   */
  criDockerdDropIn?: string;
  /**
   * Docker CRI: host file of the node's /etc/docker/daemon.json (the image's own,
   * plus insecure-registries for a plain-HTTP imageRepository), mounted read-only.
   */
  dockerDaemonJson?: string;
  /**
   * etcd without fsync (--unsafe-no-fsync): a test cluster's writes wait on no
   * disk flush (4.5 ms mean, 1 % over 128 ms measured here). A crash of the
   * host, not of a container, can lose the cluster's state.
   */
  etcdNoFsync?: boolean;
}

/** dockerd's configuration in a docker-CRI node. */
export const DOCKER_DAEMON_JSON = '/etc/docker/daemon.json';

/** Where systemd reads the drop-in from (before it starts cri-dockerd: the mount exists from container start). */
export const CRI_DOCKERD_DROP_IN = '/etc/systemd/system/cri-docker.service.d/10-kconform-pause.conf';

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
  if (o.etcdNoFsync) {
    patches.push(stringify({ kind: 'ClusterConfiguration', etcd: { local: { extraArgs: [{ name: 'unsafe-no-fsync', value: 'true' }] } } }));
  }
  if (o.imageRepository) patches.push(stringify({ kind: 'ClusterConfiguration', imageRepository: o.imageRepository }));
  const mirror = o.registryMirrorDir && o.cri === 'containerd' ? o.registryMirrorDir : undefined;
  const containerdPatches = [
    ...(mirror ? [MIRROR_CONTAINERD_PATCH] : []),
    ...(o.imageRepository && o.pauseTag && o.cri === 'containerd' ? [sandboxImagePatch(`${o.imageRepository}/pause:${o.pauseTag}`)] : []),
  ];
  const mounts = [
    ...(mirror ? [{ hostPath: mirror, containerPath: CERTS_D, readOnly: true }] : []),
    ...(o.criDockerdDropIn && o.cri === 'docker' ? [{ hostPath: o.criDockerdDropIn, containerPath: CRI_DOCKERD_DROP_IN, readOnly: true }] : []),
    ...(o.dockerDaemonJson && o.cri === 'docker' ? [{ hostPath: o.dockerDaemonJson, containerPath: DOCKER_DAEMON_JSON, readOnly: true }] : []),
  ];
  const node = (role: string) => ({
    role,
    image: o.nodeImage,
    ...(mounts.length ? { extraMounts: mounts } : {}),
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
    ...(containerdPatches.length ? { containerdConfigPatches: containerdPatches } : {}),
  };
  return stringify(config);
}

/** containerd's pod sandbox (pause) image, as kubeadm's imageRepository names it. */
export function sandboxImagePatch(image: string): string {
  return `[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "${image}"\n`;
}

/**
 * cri-dockerd takes its pause image only on its command line
 * (--pod-infra-container-image), which lives in the node image's
 * cri-docker.service: a drop-in repeats that ExecStart with the image replaced
 * (or added). `unit` is the node image's own unit file.
 */
export function criDockerdPauseDropIn(unit: string, image: string): string {
  const lines = unit.split('\n');
  const start = lines.findIndex((l) => /^ExecStart=\S/.test(l.trim()));
  if (start < 0) throw new Error('cri-docker.service has no ExecStart line');
  // systemd continues a line that ends in a backslash.
  let cmd = '';
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!.trim();
    cmd += `${l.replace(/\\$/, '')} `;
    if (!l.endsWith('\\')) break;
  }
  cmd = cmd.trim().replace(/^ExecStart=/, '').replace(/\s+/g, ' ');
  const flag = /--pod-infra-container-image(=|\s+)\S+/;
  cmd = flag.test(cmd) ? cmd.replace(flag, `--pod-infra-container-image=${image}`) : `${cmd} --pod-infra-container-image=${image}`;
  return `# written by kconform (--image-repository): cri-dockerd's pause image\n[Service]\nExecStart=\nExecStart=${cmd}\n`;
}

/**
 * The images kubeadm takes from a custom imageRepository: its own names under
 * the repository, CoreDNS as REPO/coredns (kubeadm drops the extra coredns/
 * level outside registry.k8s.io), and pause.
 */
export function kubeadmImagesIn(repo: string, set: { k8sVersion: string; etcd: string; coredns: string; pause: string }): string[] {
  const tag = (ref: string) => ref.slice(ref.lastIndexOf(':') + 1);
  return [
    ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].map((n) => `${repo}/${n}:${set.k8sVersion}`),
    `${repo}/etcd:${tag(set.etcd)}`,
    `${repo}/coredns:${tag(set.coredns)}`,
    `${repo}/pause:${tag(set.pause)}`,
  ];
}

/** A repository as kubeadm's imageRepository takes it: host[:port][/path], no scheme, no tag. */
export function parseImageRepository(text: string): string {
  const repo = text.trim().replace(/\/+$/, '');
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(repo)) {
    throw new Error(`--image-repository: expected a repository like mirror.example:5000/k8s (host[:port][/path], no scheme or tag), got '${text}'`);
  }
  return repo;
}
