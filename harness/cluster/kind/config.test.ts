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
  it('points kubeadm at cri-dockerd for the docker CRI, on init and join', () => {
    const c = parse(kindConfig({ ...base, cri: 'docker', kubernetesVersion: 'v1.34.4' }, { cgroupV1: true }));
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p))).toEqual([
      { kind: 'InitConfiguration', nodeRegistration: { criSocket: 'unix:///run/cri-dockerd.sock' } },
      { kind: 'JoinConfiguration', nodeRegistration: { criSocket: 'unix:///run/cri-dockerd.sock' } },
    ]);
  });
});
