// --registry-mirror: nodes pull through a mirror instead of the upstream
// registries. containerd nodes get hosts.toml files (mounted at
// /etc/containerd/certs.d, switched on by a containerdConfigPatch); images are
// looked up on the mirror before any cluster work, so a mirror that lacks one
// is reported by name at once, never as a late ImagePullBackOff.
import { fetch } from 'undici';

export interface RegistryMirror {
  /** Upstream registry host it stands in for, or "*" for every registry. */
  registry: string;
  /** Scheme and host[:port], e.g. http://10.0.0.5:5000. */
  endpoint: string;
  /**
   * The same mirror as the kind nodes reach it, when that differs: a mirror the
   * user named on this machine's loopback is reached through the kind network
   * (see mirror-reach.ts). hosts.toml files name this one.
   */
  nodeEndpoint?: string;
}

/** Registries kconform's images come from (a "*" mirror is written for each, and as _default). */
export const KNOWN_REGISTRIES = ['docker.io', 'registry.k8s.io', 'ghcr.io', 'quay.io'];

/** "HOST[:PORT]", "http(s)://HOST[:PORT]" or "REGISTRY=..." (no scheme means http: mirrors on a LAN usually are). */
export function parseRegistryMirror(text: string): RegistryMirror {
  const eq = text.indexOf('=');
  const registry = eq > 0 ? text.slice(0, eq).trim() : '*';
  let endpoint = (eq > 0 ? text.slice(eq + 1) : text).trim().replace(/\/+$/, '');
  if (!endpoint || /^https?:$/.test(endpoint)) throw new Error(`--registry-mirror: expected HOST[:PORT], http(s)://HOST[:PORT] or REGISTRY=HOST[:PORT], got '${text}'`);
  if (!/^https?:\/\//.test(endpoint)) endpoint = `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--registry-mirror: expected HOST[:PORT], http(s)://HOST[:PORT] or REGISTRY=HOST[:PORT], got '${text}'`);
  }
  if (url.pathname !== '/' || url.search || !url.hostname) {
    throw new Error(`--registry-mirror: expected a host and port without a path, got '${text}'`);
  }
  if (registry !== '*' && !/^[a-z0-9.-]+(:\d+)?$/.test(registry)) throw new Error(`--registry-mirror: '${registry}' is not a registry host`);
  return { registry, endpoint: `${url.protocol}//${url.host}` };
}

/** Nodes are containers: their localhost is the node itself, not the machine running kind. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(new URL(endpoint).hostname);
}

/** docker.io/calico/node:v3 -> { registry: docker.io, path: calico/node, tag: v3 } (Docker's defaults applied). */
export function splitImageRef(ref: string): { registry: string; path: string; reference: string; digest: boolean } {
  let rest = ref;
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  const first = slash > 0 ? rest.slice(0, slash) : '';
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(slash + 1);
  }
  const at = rest.indexOf('@');
  let path: string;
  let reference: string;
  if (at > 0) {
    path = rest.slice(0, at);
    reference = rest.slice(at + 1);
  } else {
    const colon = rest.lastIndexOf(':');
    path = colon > 0 ? rest.slice(0, colon) : rest;
    reference = colon > 0 ? rest.slice(colon + 1) : 'latest';
  }
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { registry, path, reference, digest: at > 0 };
}

/** The mirror serving this image, if any. */
export function mirrorFor(ref: string, mirrors: RegistryMirror[]): RegistryMirror | undefined {
  const { registry } = splitImageRef(ref);
  return mirrors.find((m) => m.registry === registry) ?? mirrors.find((m) => m.registry === '*');
}

/** Where the mirror keeps an image: same repository path, without the upstream host (containerd's mirror layout). */
export function mirrorRef(ref: string, m: RegistryMirror): string {
  const { path, reference, digest } = splitImageRef(ref);
  return `${new URL(m.endpoint).host}/${path}${digest ? '@' : ':'}${reference}`;
}

const UPSTREAM_SERVER: Record<string, string> = { 'docker.io': 'https://registry-1.docker.io' };

/** One hosts.toml per registry: try the mirror first, the upstream server after. */
export function hostsToml(registry: string, endpoint: string, upstream?: string): string {
  const server = registry === '_default' ? '' : `server = "${upstream ?? UPSTREAM_SERVER[registry] ?? `https://${registry}`}"\n\n`;
  return `# written by kconform (--registry-mirror)\n${server}[host."${endpoint}"]\n  capabilities = ["pull", "resolve"]\n`;
}

/** certs.d layout: "<registry>/hosts.toml" -> content. */
export function mirrorFiles(mirrors: RegistryMirror[]): Record<string, string> {
  const files: Record<string, string> = {};
  const all = mirrors.find((m) => m.registry === '*');
  if (all) {
    for (const r of [...KNOWN_REGISTRIES, '_default']) files[`${r}/hosts.toml`] = hostsToml(r, all.nodeEndpoint ?? all.endpoint);
  }
  for (const m of mirrors.filter((x) => x.registry !== '*')) files[`${m.registry}/hosts.toml`] = hostsToml(m.registry, m.nodeEndpoint ?? m.endpoint);
  // Images named by the mirror's own address on this machine (127.0.0.1:5001/k8s/pause, e.g. from
  // --image-repository) are pulled by the nodes from where they reach it.
  for (const m of mirrors.filter((x) => x.nodeEndpoint)) files[`${new URL(m.endpoint).host}/hosts.toml`] = hostsToml(new URL(m.endpoint).host, m.nodeEndpoint!, m.endpoint);
  return files;
}

/** containerd reads hosts.toml files from this folder once config_path points at it. */
export const CERTS_D = '/etc/containerd/certs.d';
export const MIRROR_CONTAINERD_PATCH = `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CERTS_D}"\n`;

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Does the mirror hold this image? HEAD of its manifest, 10 s at most: "yes", "no" or why it could not tell. */
export async function mirrorHasImage(ref: string, m: RegistryMirror, timeoutMs = 10_000): Promise<{ ok: boolean; reason: string }> {
  const { path, reference } = splitImageRef(ref);
  const url = `${m.endpoint}/v2/${path}/manifests/${reference}`;
  try {
    const r = await fetch(url, { method: 'HEAD', headers: { accept: MANIFEST_TYPES }, signal: AbortSignal.timeout(timeoutMs) });
    if (r.ok) return { ok: true, reason: 'present' };
    if (r.status === 401 || r.status === 403) return { ok: false, reason: `mirror ${m.endpoint} asks for credentials (HTTP ${r.status}); kconform uses anonymous mirrors only` };
    return { ok: false, reason: `not on mirror ${m.endpoint} (HTTP ${r.status} for ${path}:${reference})` };
  } catch (err) {
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return { ok: false, reason: `mirror ${m.endpoint} did not answer (${cause})` };
  }
}
