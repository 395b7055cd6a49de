import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kindConfig, needsCgroupV1Opt } from './config.ts';

const base = { name: 'kc', nodes: 3, cri: 'containerd' as const, disableDefaultCNI: true, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', nodeImage: 'kconform/node:v1.37.2', kubernetesVersion: 'v1.37.2' };

describe('kindConfig', () => {
  it('makes one control plane and N-1 workers with the node image, iptables proxy, no default CNI', () => {
    const c = parse(kindConfig(base, { cgroupV1: false }));
    expect(c.nodes).toEqual([
      { role: 'control-plane', image: 'kconform/node:v1.37.2' },
      { role: 'worker', image: 'kconform/node:v1.37.2' },
      { role: 'worker', image: 'kconform/node:v1.37.2' },
    ]);
    expect(c.networking).toEqual({ disableDefaultCNI: true, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', kubeProxyMode: 'iptables' });
    expect(c.kubeadmConfigPatches).toBeUndefined();
  });
  it('lets kubelets 1.35+ run on cgroup v1 hosts', () => {
    const c = parse(kindConfig(base, { cgroupV1: true }));
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p))).toEqual([{ kind: 'KubeletConfiguration', failCgroupV1: false }]);
    expect(needsCgroupV1Opt('v1.34.4')).toBe(false);
    expect(needsCgroupV1Opt('v1.35.0')).toBe(true);
  });
  it('shortens the node monitor grace period when asked, keeping kind\'s own controller-manager argument', () => {
    const c = parse(kindConfig({ ...base, nodeMonitorGracePeriod: '20s' }, { cgroupV1: false }));
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p))).toEqual([
      {
        kind: 'ClusterConfiguration',
        controllerManager: { extraArgs: [{ name: 'enable-hostpath-provisioner', value: 'true' }, { name: 'node-monitor-grace-period', value: '20s' }] },
      },
    ]);
  });
  it('runs etcd without fsync when asked, as its own patch beside the controller-manager one', () => {
    const c = parse(kindConfig({ ...base, etcdNoFsync: true, nodeMonitorGracePeriod: '20s' }, { cgroupV1: false }));
    const patches = c.kubeadmConfigPatches.map((p: string) => parse(p));
    expect(patches).toContainEqual({ kind: 'ClusterConfiguration', etcd: { local: { extraArgs: [{ name: 'unsafe-no-fsync', value: 'true' }] } } });
    expect(patches.filter((p: { controllerManager?: unknown }) => p.controllerManager)).toHaveLength(1);
    expect(parse(kindConfig(base, { cgroupV1: false })).kubeadmConfigPatches).toBeUndefined();
  });
  it('points kubeadm at cri-dockerd for the docker CRI, on init and join', () => {
    const c = parse(kindConfig({ ...base, cri: 'docker', kubernetesVersion: 'v1.34.4' }, { cgroupV1: true }));
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p))).toEqual([
      { kind: 'InitConfiguration', nodeRegistration: { criSocket: 'unix:///run/cri-dockerd.sock' } },
      { kind: 'JoinConfiguration', nodeRegistration: { criSocket: 'unix:///run/cri-dockerd.sock' } },
    ]);
  });
});

describe('kindConfig variants', () => {
  it('one node is a lone control plane; kind\'s default CNI stays when asked', () => {
    const c = parse(kindConfig({ ...base, nodes: 1, disableDefaultCNI: false, podSubnet: '10.50.0.0/16', serviceSubnet: '10.60.0.0/16' }, { cgroupV1: false }));
    expect(c.nodes).toEqual([{ role: 'control-plane', image: 'kconform/node:v1.37.2' }]);
    expect(c.networking).toEqual({ disableDefaultCNI: false, podSubnet: '10.50.0.0/16', serviceSubnet: '10.60.0.0/16', kubeProxyMode: 'iptables' });
    expect(c).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: 'kc' });
  });
  it('a registry mirror mounts the hosts.toml folder on every containerd node and points containerd at it', () => {
    const c = parse(kindConfig({ ...base, registryMirrorDir: '/cache/kind/kc-certs.d' }, { cgroupV1: false }));
    for (const n of c.nodes) expect(n.extraMounts).toEqual([{ hostPath: '/cache/kind/kc-certs.d', containerPath: '/etc/containerd/certs.d', readOnly: true }]);
    expect(c.containerdConfigPatches).toEqual(['[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n']);
  });
  it('docker-CRI nodes get no containerd mirror config (mirrored images are loaded into their dockerd instead)', () => {
    const c = parse(kindConfig({ ...base, cri: 'docker', nodeImage: 'kconform/node-docker:v1.37.2', registryMirrorDir: '/x' }, { cgroupV1: true }));
    expect(c.containerdConfigPatches).toBeUndefined();
    expect(c.nodes.every((n: { extraMounts?: unknown; image: string }) => !n.extraMounts && n.image === 'kconform/node-docker:v1.37.2')).toBe(true);
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p).kind)).toEqual(['KubeletConfiguration', 'InitConfiguration', 'JoinConfiguration']);
  });
  it('a user node image (kindest/node) is used as given, digest included', () => {
    const image = 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';
    const c = parse(kindConfig({ ...base, nodeImage: image, kubernetesVersion: 'v1.37.0' }, { cgroupV1: false }));
    expect(c.nodes.map((n: { image: string }) => n.image)).toEqual([image, image, image]);
  });
});

describe('normalizeRef', () => {
  it('spells image names as containerd lists them', async () => {
    const { normalizeRef } = await import('./node-shell.ts');
    expect(normalizeRef('busybox')).toBe('docker.io/library/busybox:latest');
    expect(normalizeRef('calico/node:v3.30.7')).toBe('docker.io/calico/node:v3.30.7');
    expect(normalizeRef('ghcr.io/flannel-io/flannel:v0.28.4')).toBe('ghcr.io/flannel-io/flannel:v0.28.4');
    expect(normalizeRef('localhost:5000/x')).toBe('localhost:5000/x:latest');
  });
});

describe('docker CRI on Kubernetes 1.36+', () => {
  it('switches ExtendWebSocketsToKubelet off so exec reaches cri-dockerd; leaves containerd and older versions alone', async () => {
    const { needsWebSocketGateOff } = await import('./config.ts');
    expect(parse(kindConfig({ ...base, cri: 'docker' }, { cgroupV1: false })).featureGates).toEqual({ ExtendWebSocketsToKubelet: false });
    expect(parse(kindConfig(base, { cgroupV1: false })).featureGates).toBeUndefined();
    expect(parse(kindConfig({ ...base, cri: 'docker', kubernetesVersion: 'v1.34.4' }, { cgroupV1: false })).featureGates).toBeUndefined();
    expect(needsWebSocketGateOff('docker', 'v1.36.0')).toBe(true);
    expect(needsWebSocketGateOff('docker', 'v1.35.4')).toBe(false);
  });
});
