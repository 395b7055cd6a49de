import { describe, expect, it } from 'vitest';
import { apiServerImages, etcdTagKey, parseVersionsEnv, skipReasonFor } from './api-images.ts';

describe('api tier images', () => {
  it('reads versions.env lines, skipping comments, splitting at the first =', () => {
    expect(parseVersionsEnv('# c\nK8S_VERSION=v1.37.2\n\nX=a=b\n  # indented\nBAD\n')).toEqual({ K8S_VERSION: 'v1.37.2', X: 'a=b' });
  });

  it('names the apiserver and etcd images of the pinned version', () => {
    expect(etcdTagKey('v1.37.2')).toBe('K8S_V1_37_2_ETCD_TAG');
    const versions = { K8S_VERSION: 'v1.34.4', K8S_REGISTRY: 'registry.k8s.io', K8S_V1_34_4_ETCD_TAG: '3.6.5-0' };
    expect(apiServerImages({ versions })).toEqual({ k8sVersion: 'v1.34.4', apiserver: 'registry.k8s.io/kube-apiserver:v1.34.4', etcd: 'registry.k8s.io/etcd:3.6.5-0' });
    expect(apiServerImages({ versions: {} })).toEqual({ k8sVersion: 'v1.37.2', apiserver: 'registry.k8s.io/kube-apiserver:v1.37.2', etcd: 'registry.k8s.io/etcd:3.7.0-0' });
  });

  it('the real versions.env names an etcd tag for its Kubernetes version', () => {
    const images = apiServerImages();
    expect(images.apiserver).toMatch(/\/kube-apiserver:v\d+\.\d+\.\d+$/);
    expect(images.etcd).toMatch(/\/etcd:\d+\.\d+\.\d+-\d+$/);
  });

  it('says why the tier is skipped, and what to do', () => {
    expect(skipReasonFor({ docker: 'unavailable' })).toBe('api tier skipped: Docker is not running (run harness/images/setup-host.sh)');
    expect(skipReasonFor({ docker: 'ok', missingImages: ['registry.k8s.io/kube-apiserver:v1.37.2'] })).toBe(
      'api tier skipped: image registry.k8s.io/kube-apiserver:v1.37.2 missing: run `npx kconform images build`',
    );
    expect(skipReasonFor({ docker: 'ok', missingImages: ['a', 'b'] })).toBe('api tier skipped: images a, b missing: run `npx kconform images build`');
    expect(skipReasonFor({ docker: 'ok', missingImages: [] })).toBeUndefined();
  });
});
