// Brings up a kind cluster for a run: images checked first, config generated,
// kind create, CNI installed, CoreDNS made in-cluster only, everything waited for.
// A failed or interrupted creation deletes what it made (nodes, kubeconfig).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Kube } from '../../kube/client.ts';
import { readVersions, k8sImageSet } from '../../images/versions.ts';
import { cacheDir } from '../cache.ts';
import { cniRecipe } from '../cni/index.ts';
import { dockerAvailable, hostCgroupVersion, missingImages } from '../docker.ts';
import type { ClusterHandle, Progress } from '../provider.ts';
import { kindConfig } from './config.ts';
import { kindClusters, kindCreate, kindDelete, kindExportKubeconfig, kindLoad } from './kind-cli.ts';
import { waitClusterReady } from './ready.ts';
import { useInClusterOnlyCorefile } from '../coredns.ts';

export interface KindUpOptions {
  name: string;
  nodes: number;
  cni: string;
  cri: 'containerd' | 'docker';
  kubernetesVersion?: string;
  podSubnet?: string;
  serviceSubnet?: string;
  reuse?: boolean;
  /** Keep the cluster when the handle is released. */
  keep?: boolean;
  readyTimeoutMs?: number;
  /** Called with the missing images when some can be built here; returns once built. */
  buildImages?: (missing: string[]) => Promise<void>;
}

export class MissingImagesError extends Error {
  override readonly name = 'MissingImagesError';
  readonly images: string[];
  constructor(images: string[], buildable: boolean) {
    super(
      `missing images: ${images.join(', ')}\n` +
        (buildable
          ? 'build them with: npx kconform images build'
          : 'these cannot be built on a machine without a registry. Bring them: on a machine with registry access run\n' +
            '  npx kconform images bundle --cni <cni> --cri <cri> -o kconform-images.tar\n' +
            'then here: npx kconform images import kconform-images.tar'),
    );
    this.images = images;
  }
}

export function kubeconfigPathFor(name: string): string {
  return cacheDir('kubeconfigs', `${name}.yaml`);
}

export async function kindUp(o: KindUpOptions, progress: Progress, signal: AbortSignal): Promise<ClusterHandle> {
  const docker = await dockerAvailable();
  if (!docker.ok) throw new Error(`Docker is not usable: ${docker.reason}. Run: npx kconform setup`);
  const versions = readVersions();
  const images = k8sImageSet(versions, o.kubernetesVersion);
  const recipe = cniRecipe(o.cni);
  const nodeImage = o.cri === 'docker' ? images.nodeDocker : images.node;
  const kubeconfigPath = kubeconfigPathFor(o.name);
  const handle: ClusterHandle = {
    name: o.name,
    provider: 'kind',
    kubeconfigPath,
    context: `kind-${o.name}`,
    requested: { cni: recipe.id, cri: o.cri, nodes: o.nodes, kubernetesVersion: images.k8sVersion },
    release: async () => {
      if (o.keep) return;
      progress('deleting cluster', o.name);
      await kindDelete(o.name, kubeconfigPath);
      await rm(kubeconfigPath, { force: true });
    },
  };

  const existing = await kindClusters();
  if (existing.includes(o.name)) {
    if (!o.reuse) throw new Error(`a kind cluster named ${o.name} exists already: add --reuse to run on it, or delete it with: npx kconform cluster down --name ${o.name}`);
    progress('reusing cluster', o.name);
    await mkdir(path.dirname(kubeconfigPath), { recursive: true });
    await kindExportKubeconfig(o.name, kubeconfigPath);
    const kube = Kube.fromKubeconfig({ kubeconfig: kubeconfigPath });
    try {
      await waitClusterReady(kube, { nodes: o.nodes, cniAgent: recipe.agent, timeoutMs: 60_000, signal });
    } catch (err) {
      throw new Error(`kind cluster ${o.name} exists but is not ready (${err instanceof Error ? err.message : String(err)}); delete it with: npx kconform cluster down --name ${o.name}`);
    }
    return { ...handle, release: async () => {} };
  }

  // Images first: never start a cluster that would end in ImagePullBackOff.
  const needed = [nodeImage, ...recipe.images(versions)];
  progress('checking images', `${needed.length} needed`);
  let missing = await missingImages(needed);
  if (missing.length && recipe.buildableOffline && o.buildImages) {
    await o.buildImages(missing);
    missing = await missingImages(needed);
  }
  if (missing.length) throw new MissingImagesError(missing, recipe.buildableOffline);

  const configPath = cacheDir('kind', `${o.name}.yaml`);
  await mkdir(path.dirname(configPath), { recursive: true });
  await mkdir(path.dirname(kubeconfigPath), { recursive: true });
  const cgroup = await hostCgroupVersion();
  await writeFile(configPath, kindConfig({
    name: o.name,
    nodes: o.nodes,
    cri: o.cri,
    disableDefaultCNI: recipe.disableDefaultCNI,
    podSubnet: o.podSubnet ?? '10.244.0.0/16',
    serviceSubnet: o.serviceSubnet ?? '10.96.0.0/16',
    nodeImage,
    kubernetesVersion: images.k8sVersion,
  }, { cgroupV1: cgroup === '1' }));

  const t0 = Date.now();
  try {
    progress('creating cluster', `${o.nodes} nodes, ${recipe.id}, ${o.cri}, ${images.k8sVersion}`);
    await kindCreate(o.name, configPath, kubeconfigPath, { onLine: (l) => progress('kind', l), signal });
    // Images the node image may not carry (CNIs imported from a bundle, the probe).
    const extra = [...recipe.images(versions), images.agnhost];
    const present = extra.filter((i) => !missing.includes(i));
    if (present.length) await kindLoad(o.name, present, (l) => progress('kind', l));
    const kube = Kube.fromKubeconfig({ kubeconfig: kubeconfigPath });
    if (recipe.name !== 'none') {
      progress('installing CNI', recipe.id);
      await kube.apply(await recipe.manifest({ podSubnet: o.podSubnet ?? '10.244.0.0/16', versions }), { signal });
    }
    await useInClusterOnlyCorefile(kube);
    progress('waiting for nodes, CNI and CoreDNS');
    await waitClusterReady(kube, { nodes: o.nodes, cniAgent: recipe.agent, timeoutMs: o.readyTimeoutMs ?? 300_000, signal });
    progress('cluster ready', `${Math.round((Date.now() - t0) / 1000)}s`);
    return handle;
  } catch (err) {
    progress('creation failed: deleting what was made', o.name);
    await kindDelete(o.name, kubeconfigPath).catch(() => {});
    await rm(kubeconfigPath, { force: true });
    throw err;
  }
}
