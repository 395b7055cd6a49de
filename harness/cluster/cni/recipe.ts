// A CNI recipe knows its images, how to render its manifest for a pod subnet,
// and the pitfalls to check by name once it is installed.
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { Versions } from '../../images/versions.ts';

export interface CniRenderOptions {
  podSubnet: string;
  versions: Versions;
  /** host:port at which pods on the host network reach the API server without kube-proxy (kindnet needs it). */
  controlPlaneEndpoint?: string;
}

/** A shell on one node: kind nodes are containers (`docker exec`); other providers give none. */
export interface NodeShell {
  name: string;
  /** Runs argv on the node; never throws for a non-zero exit. */
  run(argv: string[]): Promise<{ exitCode: number; stdout: string }>;
}

export interface PitfallContext {
  kube: Kube;
  /** Empty when the provider cannot reach the nodes' file systems (kubeconfig provider). */
  nodes: NodeShell[];
  podSubnet: string;
  signal?: AbortSignal;
}

/** A known way for this CNI to fail, found on the cluster: stated by name, with the fix. */
export interface Pitfall {
  /** Stable id, e.g. "cni-plugin-missing". */
  name: string;
  /** What was found, naming nodes, files and values. */
  detail: string;
  /** What to do about it. */
  fix: string;
}

/** The per-node agent pods of a CNI. */
export interface CniAgent {
  namespace: string;
  labelSelector: string;
  /**
   * An annotation the agent puts on its Node once it can give pods an address
   * (flannel: with its lease, ~50 ms before it writes subnet.env). A running
   * agent pod is not enough: a pod sandboxed before that fails and waits out the
   * kubelet's 10-15 s back-off.
   */
  nodeAnnotation?: string;
}

export interface CniRecipe {
  /** e.g. "flannel" or "flannel:host-gw". */
  id: string;
  name: 'flannel' | 'calico' | 'weave' | 'kindnet' | 'kube-router' | 'none';
  /** The upstream release the manifest and images are written for. */
  version(v: Versions): string;
  /** kind's own CNI (kindnet from the node image) is never used: kconform installs every CNI itself. */
  disableDefaultCNI: boolean;
  images(v: Versions): string[];
  /** Can `kconform images build` make its images on a machine with no registry? */
  buildableOffline: boolean;
  /** What users should know (e.g. weave is archived upstream). */
  notes?: string;
  /** CNI plugin binaries that must be in every node's /opt/cni/bin once the CNI is installed. */
  cniPlugins: string[];
  manifest(o: CniRenderOptions): Promise<KubeObject[]>;
  /** Namespace and label of its per-node agent pods (readiness wait, pitfalls). */
  agent: CniAgent | undefined;
  /** Known failure modes, checked after install and when the readiness wait runs out. */
  pitfalls(ctx: PitfallContext): Promise<Pitfall[]>;
}

export function formatPitfalls(found: Pitfall[]): string {
  return found.map((p) => `pitfall ${p.name}: ${p.detail}; fix: ${p.fix}`).join('\n');
}
