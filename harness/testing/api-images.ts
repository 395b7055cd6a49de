// Which etcd and kube-apiserver images the API-only tier runs (from
// harness/images/versions.env), and why the tier cannot run here, if it cannot.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VERSIONS_ENV = fileURLToPath(new URL('../images/versions.env', import.meta.url));

const DEFAULTS = { K8S_VERSION: 'v1.37.2', K8S_REGISTRY: 'registry.k8s.io', ETCD_TAG: '3.7.0-0' };

/** KEY=VALUE lines; `#` starts a comment line; split at the first `=`. */
export function parseVersionsEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

export interface ApiServerImages {
  k8sVersion: string;
  apiserver: string;
  etcd: string;
}

/** v1.37.2 -> K8S_V1_37_2_ETCD_TAG, the versions.env key of its etcd tag. */
export function etcdTagKey(k8sVersion: string): string {
  return `K8S_${k8sVersion.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ETCD_TAG`;
}

export function apiServerImages(opts: { k8sVersion?: string; versions?: Record<string, string> } = {}): ApiServerImages {
  const v = opts.versions ?? (existsSync(VERSIONS_ENV) ? parseVersionsEnv(readFileSync(VERSIONS_ENV, 'utf8')) : {});
  const k8sVersion = opts.k8sVersion ?? v['K8S_VERSION'] ?? DEFAULTS.K8S_VERSION;
  const registry = v['K8S_REGISTRY'] ?? DEFAULTS.K8S_REGISTRY;
  const etcdTag = v[etcdTagKey(k8sVersion)] ?? DEFAULTS.ETCD_TAG;
  return { k8sVersion, apiserver: `${registry}/kube-apiserver:${k8sVersion}`, etcd: `${registry}/etcd:${etcdTag}` };
}

/** What the runtime probe found, in a form the wording below can be tested on. */
export type TierProbe =
  | { docker: 'unavailable' }
  | { docker: 'ok'; missingImages: string[] };

export function skipReasonFor(probe: TierProbe): string | undefined {
  if (probe.docker === 'unavailable') {
    return 'api tier skipped: Docker is not running (run harness/images/setup-host.sh)';
  }
  if (probe.missingImages.length > 0) {
    const which = probe.missingImages.join(', ');
    return `api tier skipped: ${probe.missingImages.length === 1 ? 'image' : 'images'} ${which} missing: run \`npx kconform images build\``;
  }
  return undefined;
}
