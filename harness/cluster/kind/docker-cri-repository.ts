// --image-repository on docker-CRI nodes. kubeadm's images are pulled there by
// the node's own dockerd, which (unlike containerd and its hosts.toml) cannot
// map one registry name to another address. So:
//   - a repository on this machine's loopback (127.0.0.1:5001/k8s, as a user
//     types it) is named to kubeadm and cri-dockerd by the address the nodes
//     reach the same registry at (mirror-reach.ts), said in one line;
//   - a plain-HTTP one (a mirror named http://, or loopback) is listed in the
//     node's daemon.json `insecure-registries`, since dockerd speaks only HTTPS
//     to anything but its own loopback;
//   - cri-dockerd's pause image comes from it too (a drop-in of its unit).
// The node image's own daemon.json and unit are read and extended, never replaced blind.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProgram } from '../../programs.ts';
import { cacheDir } from '../cache.ts';
import { CRI_DOCKERD_DROP_IN, criDockerdPauseDropIn, DOCKER_DAEMON_JSON } from './config.ts';
import { nodeReachableMirrors } from './mirror-reach.ts';
import { isLoopbackEndpoint, type RegistryMirror } from './registry-mirror.ts';

/** Where docker-CRI node images keep cri-dockerd's unit (the builder's; a distribution's). */
const CRI_DOCKER_UNITS = ['/etc/systemd/system/cri-docker.service', '/lib/systemd/system/cri-docker.service', '/usr/lib/systemd/system/cri-docker.service'];

export interface NodeRepository {
  /** The repository as the nodes name it (kubeadm's imageRepository, cri-dockerd's pause). */
  repository: string;
  /** Registries the node's dockerd must reach over plain HTTP. */
  insecureRegistries: string[];
}

type Reach = (mirrors: RegistryMirror[], onLine: (l: string) => void) => Promise<RegistryMirror[]>;

/** How docker-CRI nodes name and reach `repo` (host[:port][/path]); `mirrors` tell its scheme. */
export async function nodeRepository(repo: string, mirrors: RegistryMirror[], onLine: (l: string) => void, reach: Reach = (m, l) => nodeReachableMirrors(m, l)): Promise<NodeRepository> {
  const host = repo.split('/')[0]!;
  const rest = repo.slice(host.length);
  const mirror = mirrors.find((m) => new URL(m.endpoint).host === host);
  // Without a mirror naming its scheme, a loopback registry is taken as plain HTTP (Docker's own view of loopback).
  const endpoint = mirror?.endpoint ?? `http://${host}`;
  const plain = endpoint.startsWith('http:');
  if (!isLoopbackEndpoint(endpoint)) return { repository: repo, insecureRegistries: mirror && plain ? [host] : [] };
  const [reached] = await reach([{ registry: host, endpoint, ...(mirror?.nodeEndpoint ? { nodeEndpoint: mirror.nodeEndpoint } : {}) }], () => undefined);
  const nodeHost = new URL(reached?.nodeEndpoint ?? endpoint).host;
  onLine(`${repo}: docker-CRI nodes pull it as ${nodeHost}${rest} (their 127.0.0.1 is the node itself, and dockerd cannot map one registry name to another)`);
  return { repository: `${nodeHost}${rest}`, insecureRegistries: plain ? [nodeHost] : [] };
}

/** The node image's daemon.json with these registries added to `insecure-registries` (its other settings kept). */
export function daemonJsonWithInsecure(text: string | undefined, registries: string[]): string {
  let cfg: Record<string, unknown> = {};
  if (text?.trim()) {
    try {
      cfg = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`the node image's ${DOCKER_DAEMON_JSON} is not JSON (${err instanceof Error ? err.message : String(err)}): cannot add insecure-registries for --image-repository`);
    }
  }
  const had = Array.isArray(cfg['insecure-registries']) ? (cfg['insecure-registries'] as unknown[]).map(String) : [];
  return `${JSON.stringify({ ...cfg, 'insecure-registries': [...new Set([...had, ...registries])] }, null, 2)}\n`;
}

export interface DockerCriRepositoryFiles {
  repository: string;
  /** Host file of the cri-docker.service drop-in (pause image). */
  criDockerdDropIn: string;
  /** Host file of the node's daemon.json, when dockerd needs plain-HTTP registries. */
  dockerDaemonJson?: string;
}

/** Writes what docker-CRI nodes need for `repo` under the cache, named for the cluster. */
export async function prepareDockerCriRepository(
  o: { cluster: string; nodeImage: string; repo: string; pauseTag: string; mirrors: RegistryMirror[] },
  onLine: (l: string) => void,
): Promise<DockerCriRepositoryFiles> {
  const { repository, insecureRegistries } = await nodeRepository(o.repo, o.mirrors, onLine);
  const files = await nodeImageFiles(o.nodeImage, [...CRI_DOCKER_UNITS, DOCKER_DAEMON_JSON]);
  const unit = CRI_DOCKER_UNITS.map((p) => files.get(p)).find((t) => t !== undefined);
  if (unit === undefined) throw new Error(`${o.nodeImage} has no cri-docker.service (looked in ${CRI_DOCKER_UNITS.join(', ')}): cannot set cri-dockerd's pause image for --image-repository`);
  const pause = `${repository}/pause:${o.pauseTag}`;
  const criDockerdDropIn = cacheDir('kind', `${o.cluster}-cri-docker-pause.conf`);
  await writeFile(criDockerdDropIn, criDockerdPauseDropIn(unit, pause));
  onLine(`cri-dockerd --pod-infra-container-image=${pause} (drop-in ${CRI_DOCKERD_DROP_IN})`);
  if (!insecureRegistries.length) return { repository, criDockerdDropIn };
  const dockerDaemonJson = cacheDir('kind', `${o.cluster}-docker-daemon.json`);
  await writeFile(dockerDaemonJson, daemonJsonWithInsecure(files.get(DOCKER_DAEMON_JSON), insecureRegistries));
  onLine(`node dockerd: insecure-registries ${insecureRegistries.join(', ')} (plain HTTP; ${DOCKER_DAEMON_JSON})`);
  return { repository, criDockerdDropIn, dockerDaemonJson };
}

/** Files found in an image, copied out of a created, never started, container. */
async function nodeImageFiles(image: string, paths: string[]): Promise<Map<string, string>> {
  const c = await runProgram('docker', ['create', image], { all: true });
  if (c.exitCode !== 0) throw new Error(`cannot read ${paths.join(', ')} from ${image}: docker create failed: ${c.all.trim()}`);
  const id = c.stdout.trim();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-node-files-'));
  const found = new Map<string, string>();
  try {
    for (const [i, p] of paths.entries()) {
      const to = path.join(dir, String(i));
      if ((await runProgram('docker', ['cp', `${id}:${p}`, to])).exitCode === 0) found.set(p, await readFile(to, 'utf8'));
    }
  } finally {
    await runProgram('docker', ['rm', id]);
    await rm(dir, { recursive: true, force: true });
  }
  return found;
}
