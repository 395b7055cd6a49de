// A cluster provider opens a cluster for a run and hands back a handle that owns
// everything the run needs from it: the kube client, the facts the reports name,
// the typed shape checks are planned against, and an async dispose that closes the
// client and deletes what the provider created. The run session
// (harness/run/session.ts) never knows whether the cluster is kind or a student's
// kubeadm: `kubeconfig` (an existing cluster) and `kind` (one made for the run) are
// two providers of this one interface.
import type { Kube } from '../kube/client.ts';
import type { ClusterInfo } from '../results/model.ts';
import type { ClusterShape } from './shape.ts';

export interface ClusterHandle {
  readonly provider: 'kind' | 'kubeconfig';
  /** The cluster's name in reports (kind cluster name, student id, context). */
  readonly name: string;
  readonly kube: Kube;
  /** What the reports say about the cluster (version, nodes, CNI, CRI, uid). */
  readonly info: ClusterInfo;
  /** Read once when opened; checks whose needs it does not meet are skipped. */
  readonly shape: ClusterShape;
  /** The cluster was created for this run: the safety rule lets destructive checks run. */
  readonly ownCluster: boolean;
  /**
   * dispose deletes the whole cluster (kind, not kept): what a run leaves in it
   * goes with it, so its namespaces are not waited for (each takes >= 5 s: the
   * namespace controller's fixed delay).
   */
  readonly deletedOnDispose: boolean;
  /** How messages name it: "kind cluster x (created by kconform)", "context c (https://...)". */
  readonly target: string;
  /** Closes the client; deletes what the provider created (a no-op for an existing cluster). */
  dispose(): Promise<void>;
}

export interface ClusterProvider {
  readonly name: 'kind' | 'kubeconfig';
  /** What reports name when the cluster cannot be opened (no check ran). */
  readonly placeholder: ClusterInfo;
  /** The target, when it is known before opening (said before anything is sent). */
  describe(): string | undefined;
  /** Connects (and creates, for kind); aborting the signal stops a creation half-way and undoes it. */
  open(signal: AbortSignal): Promise<ClusterHandle>;
}

export type Progress = (step: string, detail?: string) => void;

/** A handle over an open client; `release` runs after the client is closed (kind deletes its cluster there). */
export function openedHandle(kube: Kube, h: Omit<ClusterHandle, 'kube' | 'dispose'>, release: () => Promise<void> = async () => {}): ClusterHandle {
  let disposed: Promise<void> | undefined;
  return {
    ...h,
    kube,
    dispose() {
      disposed ??= (async () => {
        await kube.close().catch(() => undefined);
        await release();
      })();
      return disposed;
    },
  };
}
