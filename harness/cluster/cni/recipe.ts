// A CNI recipe knows its images, how to render its manifest for a pod subnet,
// and the pitfalls to check by name once it is installed.
import type { KubeObject } from '../../kube/types.ts';
import type { Versions } from '../../images/versions.ts';

export interface CniRenderOptions {
  podSubnet: string;
  versions: Versions;
}

export interface CniRecipe {
  /** e.g. "flannel" or "flannel:host-gw". */
  id: string;
  name: 'flannel' | 'calico' | 'weave' | 'kindnet' | 'none';
  /** kind's own CNI stays on only for kindnet. */
  disableDefaultCNI: boolean;
  images(v: Versions): string[];
  /** Can `kconform images build` make its images on a machine with no registry? */
  buildableOffline: boolean;
  /** What users should know (e.g. weave is archived upstream). */
  notes?: string;
  manifest(o: CniRenderOptions): Promise<KubeObject[]>;
  /** Namespace and label of its per-node agent pods (readiness wait, pitfalls). */
  agent: { namespace: string; labelSelector: string } | undefined;
}
