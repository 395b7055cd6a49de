import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kindConfig, parseImageRepository } from './config.ts';
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
});
