import { describe, expect, it } from 'vitest';
import { k8sImageSet, parseEnvFile, readVersions } from './versions.ts';

describe('versions.env', () => {
  it('parses KEY=VALUE lines and ignores comments', () => {
    expect(parseEnvFile('# c\nA=1\n\nB=x=y\n')).toEqual({ A: '1', B: 'x=y' });
  });
  it('gives kubeadm-style image names for the default version', () => {
    const set = k8sImageSet(readVersions());
    expect(set.apiserver).toMatch(/^registry\.k8s\.io\/kube-apiserver:v\d+\.\d+\.\d+$/);
    expect(set.etcd).toMatch(/^registry\.k8s\.io\/etcd:\d/);
    expect(set.agnhost).toMatch(/^registry\.k8s\.io\/e2e-test-images\/agnhost:\d/);
  });
  it('refuses a Kubernetes version that has no pinned image set, naming the ones it has', () => {
    expect(() => k8sImageSet(readVersions(), 'v1.20.0')).toThrow(/Kubernetes v1\.20\.0 is not one of v1\.37\.2,v1\.34\.4/);
  });
});
