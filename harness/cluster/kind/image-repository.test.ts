import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { CRI_DOCKERD_DROP_IN, criDockerdPauseDropIn, kindConfig, kubeadmImagesIn, parseImageRepository } from './config.ts';
import { k8sImageSet } from '../../images/versions.ts';
import { repoPath } from '../../paths.ts';
import { pauseTagFor } from './provider.ts';
import { readVersions } from '../../images/versions.ts';

const base = { name: 'kc', nodes: 2, cri: 'containerd' as const, disableDefaultCNI: true, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', nodeImage: 'kindest/node:v1.37.0', kubernetesVersion: 'v1.37.0' };

describe('--image-repository (kubeadm\'s meaning)', () => {
  it('kubeadm takes control-plane images from the repository, containerd its pause image', () => {
    const c = parse(kindConfig({ ...base, imageRepository: 'mirror.lan:5000/k8s', pauseTag: '3.10.2' }, { cgroupV1: false }));
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p))).toEqual([{ kind: 'ClusterConfiguration', imageRepository: 'mirror.lan:5000/k8s' }]);
    expect(c.containerdConfigPatches).toEqual(['[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "mirror.lan:5000/k8s/pause:3.10.2"\n']);
  });

  it('with a registry mirror too: both containerd patches', () => {
    const c = parse(kindConfig({ ...base, imageRepository: 'mirror.lan:5000', pauseTag: '3.10.2', registryMirrorDir: '/x' }, { cgroupV1: false }));
    expect(c.containerdConfigPatches).toHaveLength(2);
    expect(c.containerdConfigPatches[1]).toContain('sandbox_image = "mirror.lan:5000/pause:3.10.2"');
  });

  it('without it nothing changes', () => {
    const c = parse(kindConfig(base, { cgroupV1: false }));
    expect(c.kubeadmConfigPatches).toBeUndefined();
    expect(c.containerdConfigPatches).toBeUndefined();
  });

  it('repositories are host[:port][/path]; schemes, tags and junk are refused with what was expected', () => {
    expect(parseImageRepository('mirror.lan:5000/k8s/')).toBe('mirror.lan:5000/k8s');
    expect(parseImageRepository('registry.k8s.io')).toBe('registry.k8s.io');
    for (const bad of ['http://mirror.lan:5000', 'mirror.lan/k8s:v1', 'Mirror.lan', '', 'a b']) {
      expect(() => parseImageRepository(bad)).toThrow(/^--image-repository: expected a repository like mirror.example:5000\/k8s/);
    }
  });

  it('the pause tag: pinned for the version, else for its minor (kind\'s v1.37.0 node image)', () => {
    const v = readVersions();
    expect(pauseTagFor(v, 'v1.37.2')).toBe(v.K8S_V1_37_2_PAUSE_TAG);
    expect(pauseTagFor(v, 'v1.37.0')).toBe(v.K8S_V1_37_2_PAUSE_TAG);
    expect(pauseTagFor(v, 'v1.99.0')).toBeUndefined();
  });

  it('docker CRI: cri-dockerd\'s --pod-infra-container-image from the repository, through a drop-in mounted into every node', () => {
    const c = parse(kindConfig({ ...base, cri: 'docker', imageRepository: 'mirror.lan:5000/k8s', pauseTag: '3.10.2', criDockerdDropIn: '/cache/kc-pause.conf' }, { cgroupV1: false }));
    for (const n of c.nodes) expect(n.extraMounts).toEqual([{ hostPath: '/cache/kc-pause.conf', containerPath: CRI_DOCKERD_DROP_IN, readOnly: true }]);
    expect(c.containerdConfigPatches).toBeUndefined();
    expect(c.kubeadmConfigPatches.map((p: string) => parse(p))).toContainEqual({ kind: 'ClusterConfiguration', imageRepository: 'mirror.lan:5000/k8s' });
  });

  it('the drop-in repeats the node image\'s ExecStart with the pause image replaced (or added)', () => {
    const unit = readFileSync(repoPath('harness', 'images', 'node', 'cri-docker.service'), 'utf8').replace('@SANDBOX_IMAGE@', 'registry.k8s.io/pause:3.10.2');
    const d = criDockerdPauseDropIn(unit, 'mirror.lan:5000/k8s/pause:3.10.2');
    const lines = d.split('\n');
    expect(lines.slice(1, 3)).toEqual(['[Service]', 'ExecStart=']);
    expect(lines[3]).toMatch(/^ExecStart=\/usr\/bin\/cri-dockerd --container-runtime-endpoint unix:\/\/\/run\/cri-dockerd.sock .* --pod-infra-container-image=mirror.lan:5000\/k8s\/pause:3.10.2$/);
    expect(d).not.toContain('registry.k8s.io/pause');
    // A unit without the flag, continued over lines: the flag is added to the one command.
    const bare = criDockerdPauseDropIn('[Service]\nExecStart=/usr/bin/cri-dockerd \\\n  --network-plugin=cni\nRestart=always\n', 'r/pause:1');
    expect(bare).toContain('ExecStart=/usr/bin/cri-dockerd --network-plugin=cni --pod-infra-container-image=r/pause:1\n');
    expect(() => criDockerdPauseDropIn('[Service]\n', 'r/pause:1')).toThrow(/no ExecStart/);
  });

  it('the images kubeadm takes from a custom repository: CoreDNS one level up, as kubeadm names it', () => {
    const set = k8sImageSet(readVersions(), 'v1.37.2');
    expect(kubeadmImagesIn('mirror.lan:5000/k8s', set)).toEqual([
      'mirror.lan:5000/k8s/kube-apiserver:v1.37.2',
      'mirror.lan:5000/k8s/kube-controller-manager:v1.37.2',
      'mirror.lan:5000/k8s/kube-scheduler:v1.37.2',
      'mirror.lan:5000/k8s/kube-proxy:v1.37.2',
      `mirror.lan:5000/k8s/etcd:${readVersions().K8S_V1_37_2_ETCD_TAG}`,
      `mirror.lan:5000/k8s/coredns:${readVersions().K8S_V1_37_2_COREDNS_TAG}`,
      `mirror.lan:5000/k8s/pause:${readVersions().K8S_V1_37_2_PAUSE_TAG}`,
    ]);
  });
});
