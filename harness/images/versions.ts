// Reads harness/images/versions.env (KEY=VALUE lines), the one place versions are pinned.
import { readFileSync } from 'node:fs';
import { repoPath } from '../paths.ts';

export type Versions = Record<string, string>;

export function parseEnvFile(text: string): Versions {
  const out: Versions = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i <= 0) continue;
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export function readVersions(file = repoPath('harness', 'images', 'versions.env')): Versions {
  return parseEnvFile(readFileSync(file, 'utf8'));
}

export interface K8sImageSet {
  k8sVersion: string;
  apiserver: string;
  controllerManager: string;
  scheduler: string;
  proxy: string;
  etcd: string;
  coredns: string;
  pause: string;
  agnhost: string;
  flannel: string;
  node: string;
  nodeDocker: string;
}

/** Image names for one Kubernetes version, as kubeadm lists them. */
export function k8sImageSet(v: Versions, k8sVersion = v.K8S_VERSION ?? 'v1.37.2'): K8sImageSet {
  const key = `K8S_${k8sVersion.toUpperCase().replace(/\./g, '_')}_`;
  const get = (name: string): string => {
    const val = v[key + name];
    if (!val) throw new Error(`harness/images/versions.env has no ${key}${name}: Kubernetes ${k8sVersion} is not one of ${v.K8S_VERSIONS ?? '(none)'}`);
    return val;
  };
  const reg = v.K8S_REGISTRY ?? 'registry.k8s.io';
  return {
    k8sVersion,
    apiserver: `${reg}/kube-apiserver:${k8sVersion}`,
    controllerManager: `${reg}/kube-controller-manager:${k8sVersion}`,
    scheduler: `${reg}/kube-scheduler:${k8sVersion}`,
    proxy: `${reg}/kube-proxy:${k8sVersion}`,
    etcd: `${reg}/etcd:${get('ETCD_TAG')}`,
    coredns: `${reg}/coredns/coredns:${get('COREDNS_TAG')}`,
    pause: `${reg}/pause:${get('PAUSE_TAG')}`,
    agnhost: `${reg}/e2e-test-images/agnhost:${get('AGNHOST_TAG')}`,
    flannel: `${v.FLANNEL_IMAGE_REPO ?? 'ghcr.io/flannel-io/flannel'}:${v.FLANNEL_VERSION ?? 'v0.28.4'}`,
    node: `${v.NODE_IMAGE_REPO ?? 'kconform/node'}:${k8sVersion}`,
    nodeDocker: `${v.NODE_DOCKER_IMAGE_REPO ?? 'kconform/node-docker'}:${k8sVersion}`,
  };
}
