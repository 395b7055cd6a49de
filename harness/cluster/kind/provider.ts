// Brings up a kind cluster for a run: images checked first, config generated,
// kind create, CNI plugins the recipe needs put on the nodes, CNI installed,
// CoreDNS made in-cluster only, everything waited for; a wait that runs out
// names the CNI's pitfalls. A failed or interrupted creation deletes what it
// made (nodes, kubeconfig).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Kube } from '../../kube/client.ts';
import { readVersions, k8sImageSet, type K8sImageSet } from '../../images/versions.ts';
import { cacheDir } from '../cache.ts';
import { cniRecipe } from '../cni/index.ts';
import { formatPitfalls, type CniRecipe, type NodeShell, type Pitfall } from '../cni/recipe.ts';
import { dockerAvailable, hostCgroupVersion, missingImages } from '../docker.ts';
import { openedHandle, type ClusterProvider, type Progress } from '../provider.ts';
import { readClusterFacts } from '../info.ts';
import { kindConfig, kubeadmImagesIn } from './config.ts';
import { prepareDockerCriRepository } from './docker-cri-repository.ts';
import { provideKind, kindClusters, kindCreate, kindDelete, kindExportKubeconfig, kindLoad, kindNodes } from './kind-cli.ts';
import { waitClusterReady } from './ready.ts';
import { holdCoreDns, releaseCoreDns, useInClusterOnlyCorefile } from '../coredns.ts';
import { ensureImages } from './images.ts';
import { mirrorFiles, mirrorHasImage, type RegistryMirror } from './registry-mirror.ts';
import { nodeReachableMirrors } from './mirror-reach.ts';
import { defaultCniPluginsDir, provideCniPlugins } from './cni-plugins.ts';
import { containerdImageRefs, dockerLoadIntoNode, dockerNodeShell, normalizeRef } from './node-shell.ts';

export { MissingImagesError } from './images.ts';

export const DEFAULT_POD_SUBNET = '10.244.0.0/16';
export const DEFAULT_SERVICE_SUBNET = '10.96.0.0/16';

export interface KindUpOptions {
  name: string;
  nodes: number;
  cni: string;
  cri: 'containerd' | 'docker';
  kubernetesVersion?: string;
  podSubnet?: string;
  serviceSubnet?: string;
  /** A node image of the user's (e.g. kindest/node:v1.37.0 where a registry is reachable). */
  nodeImage?: string;
  /** Nodes pull through these (containerd); missing images are pulled through them (docker CRI). */
  registryMirrors?: RegistryMirror[];
  /** Pull missing images into Docker first (a registry is reachable). */
  pullImages?: boolean;
  /** Folder of CNI plugin binaries to copy into nodes that lack them. */
  cniPluginsDir?: string;
  reuse?: boolean;
  /** Keep the cluster when the handle is released. */
  keep?: boolean;
  readyTimeoutMs?: number;
  /** See KindClusterOptions.nodeMonitorGracePeriod. */
  nodeMonitorGracePeriod?: string;
  /** kubeadm's imageRepository (control-plane images and pause from one repository). */
  imageRepository?: string;
  /** Called with the missing images when some can be built here; returns once built. */
  buildImages?: (missing: string[]) => Promise<void>;
}

/** A known CNI pitfall found during creation, before any waiting. */
export class CniPitfallError extends Error {
  override readonly name = 'CniPitfallError';
  readonly pitfalls: Pitfall[];
  constructor(recipe: string, pitfalls: Pitfall[]) {
    super(`${recipe} cannot work on this cluster:\n${formatPitfalls(pitfalls)}`);
    this.pitfalls = pitfalls;
  }
}

/** A kind cluster as kindUp made it (or found it, with `reuse`); `release` deletes it unless kept. */
export interface KindCluster {
  name: string;
  provider: 'kind';
  kubeconfigPath: string;
  context: string;
  /** What was asked for (reports read the real CNI/CRI from the cluster). */
  requested: { cni: string; cri: string; nodes: number; kubernetesVersion: string };
  release(): Promise<void>;
}

export function kubeconfigPathFor(name: string): string {
  return cacheDir('kubeconfigs', `${name}.yaml`);
}

/** "kindest/node:v1.37.0@sha256:..." -> "v1.37.0". */
export function versionFromImage(image: string): string | undefined {
  return /:(v\d+\.\d+\.\d+)(?:@|$)/.exec(image)?.[1];
}

interface Resolved {
  recipe: CniRecipe;
  versions: Record<string, string>;
  images: K8sImageSet | undefined;
  nodeImage: string;
  k8sVersion: string;
  podSubnet: string;
}

function resolve(o: KindUpOptions): Resolved {
  const versions = readVersions();
  const recipe = cniRecipe(o.cni);
  const k8sVersion = o.kubernetesVersion ?? (o.nodeImage ? versionFromImage(o.nodeImage) : undefined) ?? versions.K8S_VERSION ?? 'v1.37.2';
  // A user's node image may carry a version the offline builder does not know.
  let images: K8sImageSet | undefined;
  try {
    images = k8sImageSet(versions, k8sVersion);
  } catch (err) {
    if (!o.nodeImage) throw err;
  }
  const nodeImage = o.nodeImage ?? (o.cri === 'docker' ? images!.nodeDocker : images!.node);
  return { recipe, versions, images, nodeImage, k8sVersion, podSubnet: o.podSubnet ?? DEFAULT_POD_SUBNET };
}

/** The images a cluster of these options needs, and which of them the offline builder makes. */
export function imagesNeeded(o: Pick<KindUpOptions, 'cni' | 'cri' | 'nodeImage' | 'kubernetesVersion'>): { needed: string[]; buildable: string[]; nodeImage: string; recipe: CniRecipe } {
  const { recipe, versions, images, nodeImage } = resolve({ name: '', nodes: 1, ...o });
  return {
    needed: [nodeImage, ...recipe.images(versions)],
    buildable: images && !o.nodeImage ? [images.node, images.nodeDocker, images.flannel, ...(recipe.buildableOffline ? recipe.images(versions) : [])] : [],
    nodeImage,
    recipe,
  };
}

function shells(names: string[]): NodeShell[] {
  return names.map(dockerNodeShell);
}

export async function kindUp(o: KindUpOptions, progress: Progress, signal: AbortSignal): Promise<KindCluster> {
  const docker = await dockerAvailable();
  if (!docker.ok) throw new Error(`Docker is not usable: ${docker.reason}. Run: npx kconform setup`);
  const { recipe, versions, images, nodeImage, k8sVersion, podSubnet } = resolve(o);
  const kubeconfigPath = kubeconfigPathFor(o.name);
  const handle: KindCluster = {
    name: o.name,
    provider: 'kind',
    kubeconfigPath,
    context: `kind-${o.name}`,
    requested: { cni: recipe.id, cri: o.cri, nodes: o.nodes, kubernetesVersion: k8sVersion },
    release: async () => {
      if (o.keep) return;
      progress('deleting cluster', o.name);
      await kindDelete(o.name, kubeconfigPath);
      await rm(kubeconfigPath, { force: true });
    },
  };
  const diagnose = (kube: Kube, nodeNames: string[]) => () => recipe.pitfalls({ kube, nodes: shells(nodeNames), podSubnet, signal });

  await provideKind((l) => progress('kind', l));
  const existing = await kindClusters();
  if (existing.includes(o.name)) {
    if (!o.reuse) throw new Error(`a kind cluster named ${o.name} exists already: add --reuse to run on it, or delete it with: npx kconform cluster down --name ${o.name}`);
    progress('reusing cluster', o.name);
    await mkdir(path.dirname(kubeconfigPath), { recursive: true });
    await kindExportKubeconfig(o.name, kubeconfigPath);
    const kube = Kube.fromKubeconfig({ kubeconfig: kubeconfigPath });
    try {
      await waitClusterReady(kube, { nodes: o.nodes, cniAgent: recipe.agent, network: recipe.name !== 'none', timeoutMs: 60_000, signal, diagnose: diagnose(kube, await kindNodes(o.name)) });
    } catch (err) {
      throw new Error(`kind cluster ${o.name} exists but is not ready (${err instanceof Error ? err.message : String(err)}); delete it with: npx kconform cluster down --name ${o.name}`);
    } finally {
      await kube.close().catch(() => undefined);
    }
    return { ...handle, release: async () => {} };
  }

  // A mirror on this machine's loopback: how the nodes reach it, found (or refused) in seconds.
  if (o.registryMirrors?.length && o.cri === 'containerd') progress('checking registry mirror', o.registryMirrors.map((m) => m.endpoint).join(', '));
  const nodeMirrors = o.registryMirrors?.length && o.cri === 'containerd' ? await nodeReachableMirrors(o.registryMirrors, (l) => progress('registry mirror', l)) : o.registryMirrors;

  // Images first: never start a cluster that would end in ImagePullBackOff.
  const { needed, buildable } = imagesNeeded(o);
  progress('checking images', `${needed.length} needed: ${needed.join(', ')}`);
  const plan = await ensureImages(needed, nodeImage, {
    ...(o.pullImages ? { pull: true } : {}),
    ...(o.registryMirrors?.length ? { mirrors: o.registryMirrors } : {}),
    nodesPullThroughMirror: o.cri === 'containerd',
    buildable,
    cell: { cni: recipe.id, cri: o.cri },
    ...(o.buildImages ? { build: o.buildImages } : {}),
    onLine: (l) => progress('images', l),
  });
  if (plan.viaMirror.length) progress('images', `nodes will pull through the mirror: ${plan.viaMirror.join(', ')}`);
  if (o.imageRepository && images) await checkRepository(o.imageRepository, images, o.registryMirrors ?? [], (l) => progress('image repository', l));

  const configPath = cacheDir('kind', `${o.name}.yaml`);
  await mkdir(path.dirname(configPath), { recursive: true });
  await mkdir(path.dirname(kubeconfigPath), { recursive: true });
  let registryMirrorDir: string | undefined;
  if (nodeMirrors?.length && o.cri === 'containerd') {
    registryMirrorDir = cacheDir('kind', `${o.name}-certs.d`);
    await rm(registryMirrorDir, { recursive: true, force: true });
    for (const [rel, text] of Object.entries(mirrorFiles(nodeMirrors))) {
      await mkdir(path.join(registryMirrorDir, path.dirname(rel)), { recursive: true });
      await writeFile(path.join(registryMirrorDir, rel), text);
    }
  }
  const pauseTag = o.imageRepository ? pauseTagFor(versions, k8sVersion) : undefined;
  // docker-CRI nodes pull the repository with their own dockerd: named as they reach it, pause by a drop-in.
  const dockerCri = o.imageRepository && pauseTag && o.cri === 'docker'
    ? await prepareDockerCriRepository({ cluster: o.name, nodeImage, repo: o.imageRepository, pauseTag, mirrors: o.registryMirrors ?? [] }, (l) => progress('image repository', l))
    : undefined;
  const imageRepository = dockerCri?.repository ?? o.imageRepository;
  const cgroup = await hostCgroupVersion();
  await writeFile(configPath, kindConfig({
    name: o.name,
    nodes: o.nodes,
    cri: o.cri,
    disableDefaultCNI: recipe.disableDefaultCNI,
    podSubnet,
    serviceSubnet: o.serviceSubnet ?? DEFAULT_SERVICE_SUBNET,
    nodeImage,
    kubernetesVersion: k8sVersion,
    // kconform's clusters are for tests: no write waits on a disk flush.
    etcdNoFsync: true,
    ...(registryMirrorDir ? { registryMirrorDir } : {}),
    ...(o.nodeMonitorGracePeriod ? { nodeMonitorGracePeriod: o.nodeMonitorGracePeriod } : {}),
    ...(imageRepository ? { imageRepository, ...(pauseTag ? { pauseTag } : {}) } : {}),
    ...(dockerCri ? { criDockerdDropIn: dockerCri.criDockerdDropIn, ...(dockerCri.dockerDaemonJson ? { dockerDaemonJson: dockerCri.dockerDaemonJson } : {}) } : {}),
  }, { cgroupV1: cgroup === '1' }));

  const t0 = Date.now();
  // The client of the bring-up; the run opens its own (kindProvider), so this one is closed at the end.
  let kube: Kube | undefined;
  try {
    progress('creating cluster', `${o.nodes} nodes, ${recipe.id}, ${o.cri}, ${k8sVersion}`);
    await kindCreate(o.name, configPath, kubeconfigPath, { onLine: (l) => progress('kind', l), signal });
    const nodeNames = await kindNodes(o.name);

    // Known fix: plugins the CNI delegates to but the node image lacks.
    const missingPlugins = await provideCniPlugins(shells(nodeNames), recipe.cniPlugins, o.cniPluginsDir ?? defaultCniPluginsDir(), (l) => progress('cni plugins', l));
    if (missingPlugins.length) throw new CniPitfallError(recipe.id, missingPlugins);

    // Images the node image may not carry (CNIs imported from a bundle, the probe).
    const extra = [...new Set([...plan.local.filter((i) => i !== nodeImage), ...(images ? [images.agnhost] : [])])];
    const absent = new Set(await missingImages(extra));
    const loadable = extra.filter((i) => !absent.has(i));
    if (loadable.length) await loadIntoNodes(o.name, o.cri, nodeNames, loadable, (l) => progress('kind', l));

    kube = Kube.fromKubeconfig({ kubeconfig: kubeconfigPath });
    const ready = {
      nodes: o.nodes,
      cniAgent: recipe.agent,
      network: recipe.name !== 'none',
      timeoutMs: o.readyTimeoutMs ?? 300_000,
      signal,
      diagnose: diagnose(kube, nodeNames),
    };
    // A CNI kconform installs: CoreDNS starts once its agents run on every node.
    const dnsReplicas = recipe.agent ? await holdCoreDns(kube) : undefined;
    if (recipe.name !== 'none') {
      progress('installing CNI', `${recipe.id} ${recipe.version(versions)}`);
      const objects = await recipe.manifest({ podSubnet, versions, controlPlaneEndpoint: `${o.name}-control-plane:6443` });
      await kube.apply(objects, { signal });
    }
    await useInClusterOnlyCorefile(kube);
    if (dnsReplicas !== undefined) {
      progress('waiting for nodes and CNI');
      await waitClusterReady(kube, { ...ready, coreDns: false });
      await releaseCoreDns(kube, dnsReplicas);
    }
    progress('waiting for nodes, CNI and CoreDNS');
    await waitClusterReady(kube, ready);
    // Ready is not the whole story (a podCIDR outside the pool still routes badly): say what is known.
    for (const p of await diagnose(kube, nodeNames)().catch(() => [])) progress('pitfall', `${p.name}: ${p.detail}; fix: ${p.fix}`);
    progress('cluster ready', `${Math.round((Date.now() - t0) / 1000)}s`);
    return handle;
  } catch (err) {
    progress('creation failed: deleting what was made', o.name);
    await kindDelete(o.name, kubeconfigPath).catch(() => {});
    await rm(kubeconfigPath, { force: true });
    throw err;
  } finally {
    await kube?.close().catch(() => undefined);
  }
}

/** containerd nodes: `kind load`; docker-CRI nodes: `docker load` into each node's dockerd. */
async function loadIntoNodes(name: string, cri: 'containerd' | 'docker', nodes: string[], images: string[], onLine: (l: string) => void): Promise<void> {
  if (cri === 'containerd') {
    // kind's own "already there?" test needs crictl, which kconform's node images lack:
    // skip what every node's containerd already holds (the node image preloads flannel and agnhost).
    const held = await Promise.all(nodes.map((n) => containerdImageRefs(n)));
    const toLoad = images.filter((i) => !held.every((refs) => refs.has(normalizeRef(i))));
    if (toLoad.length) await kindLoad(name, toLoad, onLine);
    return;
  }
  for (const n of nodes) await dockerLoadIntoNode(n, images, onLine);
}

/**
 * --image-repository served by one of the mirrors (same host): every image kubeadm
 * will take from it is looked up first, so a missing one is named at once, not
 * after kubeadm's four-minute wait. Another repository is the nodes' to reach.
 */
async function checkRepository(repo: string, set: K8sImageSet, mirrors: RegistryMirror[], onLine: (l: string) => void): Promise<void> {
  const host = repo.split('/')[0]!;
  const m = mirrors.find((x) => new URL(x.endpoint).host === host);
  const refs = kubeadmImagesIn(repo, set);
  if (!m) {
    onLine(`${refs.length} images from ${repo}, not checked beforehand (no --registry-mirror at ${host}): the nodes pull them`);
    return;
  }
  const reasons: Record<string, string> = {};
  for (const ref of refs) {
    const has = await mirrorHasImage(ref, m);
    if (!has.ok) reasons[ref] = has.reason;
  }
  const missing = Object.keys(reasons);
  if (missing.length) throw new Error(`--image-repository ${repo}: kubeadm takes these images from it, and it lacks them (nothing was created):\n${missing.map((r) => `  ${r}  (${reasons[r]})`).join('\n')}`);
  onLine(`${refs.length} images present in ${repo}: ${refs.map((r) => r.slice(repo.length + 1)).join(', ')}`);
}

/** The pause tag pinned for this Kubernetes version, else for another patch release of its minor. */
export function pauseTagFor(versions: Record<string, string>, k8sVersion: string): string | undefined {
  const exact = versions[`K8S_${k8sVersion.toUpperCase().replace(/\./g, '_')}_PAUSE_TAG`];
  if (exact) return exact;
  const minor = /^v?(\d+)\.(\d+)\./.exec(k8sVersion);
  if (!minor) return undefined;
  const prefix = `K8S_V${minor[1]}_${minor[2]}_`;
  return Object.entries(versions).find(([k]) => k.startsWith(prefix) && k.endsWith('_PAUSE_TAG'))?.[1];
}

/**
 * The `kind` provider: opening creates the cluster (kindUp) and connects to it
 * with the kubeconfig kind wrote; dispose closes the client, then deletes the
 * cluster (kept with `keep`). `onRelease` runs just before the delete (the CLI says
 * where a kept cluster's kubeconfig is).
 */
export function kindProvider(o: KindUpOptions, progress: Progress, hooks: { onRelease?: (c: KindCluster) => void } = {}): ClusterProvider {
  return {
    name: 'kind',
    placeholder: { name: o.name, provider: 'kind', cni: o.cni, cri: o.cri },
    describe: () => undefined,
    async open(signal) {
      const cluster = await kindUp(o, progress, signal);
      const release = async () => {
        hooks.onRelease?.(cluster);
        await cluster.release();
      };
      const kube = Kube.fromKubeconfig({ kubeconfig: cluster.kubeconfigPath });
      try {
        const { info, shape } = await readClusterFacts(kube, 'kind', cluster.name);
        return openedHandle(kube, { provider: 'kind', name: cluster.name, info, shape, ownCluster: true, deletedOnDispose: !o.keep, target: `kind cluster ${cluster.name} (created by kconform)` }, release);
      } catch (err) {
        await kube.close().catch(() => undefined);
        await release();
        throw err;
      }
    },
  };
}
