// The plain data of each CNI kconform knows: names, `--cni` values, namespaces,
// pod signatures, claims. It lives in the suite layer (not in cluster/cni/table.ts,
// which adds each CNI's recipe) because the suite schema and the nodes spec
// validate CNI names and --cni values, and suite/ may not import cluster/. Not a
// ground-level file: podSignature reads a PodObject (kube/), and ground files
// import no layer. cluster/cni/table.ts is the table everything above suite reads.
import type { PodObject } from '../kube/objects.ts';

/** How pods on different nodes reach each other. */
export type RoutingMode = 'vxlan' | 'host-gw' | 'bgp' | 'routes' | 'overlay' | 'ebpf';

export interface CniData {
  name: 'flannel' | 'calico' | 'weave' | 'kindnet' | 'kube-router' | 'cilium';
  /** `--cni` values that pick it, each with the routing mode it sets up; empty when kconform cannot install it. */
  variants: { choice: string; routing: RoutingMode }[];
  /** Namespace its per-node agent pods run in. */
  agentNamespace: string;
  /** Recognises its per-node agent pods (the labels its manifests set). */
  podSignature(p: PodObject): boolean;
  /** What the CNI claims to do; NetworkPolicy enforcement is always measured (networkPolicy check), never taken from here. */
  claims: { networkPolicy: boolean };
  /** A cell of the CNI x CRI matrix by default (local `kconform matrix` and the GitHub workflow). */
  inMatrix: boolean;
  /** How to read its BGP sessions in its agent pod (podNetwork's routing evidence): the output of `gobgp neighbor`. */
  bgpSessions?: { container: string; command: string[] };
}

export const CNI_DATA: readonly CniData[] = [
  {
    name: 'flannel',
    variants: [
      { choice: 'flannel', routing: 'vxlan' },
      { choice: 'flannel:vxlan', routing: 'vxlan' },
      { choice: 'flannel:host-gw', routing: 'host-gw' },
    ],
    agentNamespace: 'kube-flannel',
    podSignature: (p) => p.metadata.labels?.app === 'flannel' || p.metadata.labels?.['k8s-app'] === 'flannel',
    claims: { networkPolicy: false },
    inMatrix: true,
  },
  {
    name: 'kube-router',
    variants: [{ choice: 'kube-router', routing: 'bgp' }],
    agentNamespace: 'kube-router',
    podSignature: (p) => p.metadata.labels?.app === 'kube-router' || p.metadata.labels?.['k8s-app'] === 'kube-router',
    claims: { networkPolicy: true },
    inMatrix: true,
    bgpSessions: { container: 'kube-router', command: ['gobgp', 'neighbor'] },
  },
  {
    name: 'calico',
    variants: [
      { choice: 'calico', routing: 'vxlan' },
      { choice: 'calico:vxlan', routing: 'vxlan' },
    ],
    agentNamespace: 'kube-system',
    podSignature: (p) => p.metadata.labels?.['k8s-app'] === 'calico-node',
    claims: { networkPolicy: true },
    inMatrix: true,
  },
  {
    name: 'weave',
    variants: [{ choice: 'weave', routing: 'overlay' }],
    agentNamespace: 'kube-system',
    podSignature: (p) => p.metadata.labels?.name === 'weave-net',
    claims: { networkPolicy: true },
    inMatrix: true,
  },
  {
    name: 'kindnet',
    variants: [{ choice: 'kindnet', routing: 'routes' }],
    agentNamespace: 'kube-system',
    podSignature: (p) => p.metadata.labels?.app === 'kindnet',
    claims: { networkPolicy: true },
    inMatrix: false,
  },
  {
    // Recognised on users' clusters; kconform does not install it.
    name: 'cilium',
    variants: [],
    agentNamespace: 'kube-system',
    podSignature: (p) => p.metadata.labels?.['k8s-app'] === 'cilium',
    claims: { networkPolicy: true },
    inMatrix: false,
  },
];


export type CniName = CniData['name'];

/** Every `--cni` value, in table order, then `none`. */
export const CNI_CHOICES: readonly string[] = [...CNI_DATA.flatMap((r) => r.variants.map((v) => v.choice)), 'none'];

/** The matrix's CNIs by default, in table order (each record's first --cni value). */
export const MATRIX_CNIS: readonly string[] = CNI_DATA.filter((r) => r.inMatrix && r.variants.length).map((r) => r.variants[0]!.choice);

/** CNI names a suite or the nodes check may name. */
export const CNI_NAMES: readonly CniName[] = CNI_DATA.map((r) => r.name);

/** Namespaces where agent pods of some CNI run (the shape reader lists pods there). */
export const CNI_AGENT_NAMESPACES: readonly string[] = [...new Set(CNI_DATA.map((r) => r.agentNamespace))];

/** The routing mode a `--cni` value sets up. */
export function routingModeOf(choice: string): RoutingMode | undefined {
  for (const r of CNI_DATA) for (const v of r.variants) if (v.choice === choice) return v.routing;
  return undefined;
}
