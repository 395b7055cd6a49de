// The internet, as pull mode meets it, stood in for by a registry on this
// machine: distribution's registry (built here, harness/testing/loopback-registry.ts)
// listening on every address, so a user's `--registry-mirror http://127.0.0.1:PORT`
// works for the host's Docker and kconform can lead the kind nodes to it through
// the kind network's gateway. It holds images BUILT HERE under their upstream
// names, standing in for the upstream ones (none is a copy of an upstream image):
//   kindest/node:<k8s>   the builder's lean node image (img/node-lean: no image
//                        preloaded, no bridge/flannel CNI plugins)
//   registry.k8s.io/{kube-apiserver,kube-controller-manager,kube-scheduler,
//     kube-proxy,etcd,coredns/coredns,pause}, ghcr.io/flannel-io/flannel,
//   registry.k8s.io/e2e-test-images/agnhost
// Since the lean node preloads nothing, a cluster made from it pulls every
// control-plane, CNI and probe image through the mirror.
import { runImageScript } from '../images/scripts.ts';
import { k8sImageSet, readVersions } from '../images/versions.ts';
import { splitImageRef } from '../cluster/kind/registry-mirror.ts';
import { startLoopbackRegistry, type LoopbackRegistry } from './loopback-registry.ts';

export interface PullTestbed {
  registry: LoopbackRegistry;
  /** http://127.0.0.1:PORT, as a user types it. */
  mirror: string;
  /** kindest/node:<k8s version>: the stand-in's name (a tag: the real one's digest cannot be ours). */
  nodeImage: string;
  /** Every upstream name the registry holds, the node image first. */
  images: string[];
  stop(): Promise<void>;
}

/** Upstream name -> the image built here that stands in for it. */
export function standIns(k8sVersion?: string): Map<string, string> {
  const v = readVersions();
  const set = k8sImageSet(v, k8sVersion);
  const lean = `${v.NODE_IMAGE_REPO ?? 'kconform/node'}-lean:${set.k8sVersion}`;
  const same = [set.apiserver, set.controllerManager, set.scheduler, set.proxy, set.etcd, set.coredns, set.pause, set.flannel, set.agnhost];
  return new Map<string, string>([[`kindest/node:${set.k8sVersion}`, lean], ...same.map((i): [string, string] => [i, i])]);
}

/** Where a mirror keeps an upstream image: its path and tag without the registry host. */
export function mirrorPath(upstream: string): string {
  const { path, reference, digest } = splitImageRef(upstream);
  return `${path}${digest ? '@' : ':'}${reference}`;
}

export async function startPullTestbed(log: (l: string) => void): Promise<PullTestbed> {
  const map = standIns();
  // The lean node image is a test tool (built only on request); the rest are the standard images.
  await runImageScript('build.sh', ['--only', 'node-lean,kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy,etcd,coredns,pause,agnhost,flannel'], { onLine: log });
  const registry = await startLoopbackRegistry({ listen: '0.0.0.0', log });
  try {
    for (const [upstream, local] of map) {
      const t0 = Date.now();
      await registry.pushFromDocker(local, mirrorPath(upstream));
      log(`registry: ${upstream} <- ${local} (built here) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
  } catch (err) {
    await registry.stop();
    throw err;
  }
  const images = [...map.keys()];
  return { registry, mirror: registry.endpoint, nodeImage: images[0]!, images, stop: () => registry.stop() };
}
