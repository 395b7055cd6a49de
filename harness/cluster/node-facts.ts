// What a cluster's Node objects and system pods say about it: node roles, the
// container runtime, which CNI runs. Read by the cluster layer (shape, info,
// readiness, CNI diagnosis) and by the checks.
import type { NodeObject, PodObject } from '../kube/objects.ts';
import { CNI_TABLE, type CniName } from './cni/table.ts';

export interface CniSignature {
  name: CniName;
  match(p: PodObject): boolean;
}

// How each CNI's per-node agent pods can be recognised (labels its manifests set): from the CNI table.
export const CNI_SIGNATURES: CniSignature[] = CNI_TABLE.map((r) => ({ name: r.name, match: r.podSignature }));

export function roleOf(n: NodeObject): 'control-plane' | 'worker' {
  const labels = n.metadata.labels ?? {};
  return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels ? 'control-plane' : 'worker';
}

export function runtimeOf(n: NodeObject): string {
  const v = n.status?.nodeInfo?.containerRuntimeVersion ?? '';
  return v.split('://')[0] ?? '';
}

export function detectCni(pods: PodObject[]): CniSignature['name'] | undefined {
  return CNI_SIGNATURES.find((sig) => pods.some((p) => sig.match(p)))?.name;
}
