// A cluster provider gives the runner a kubeconfig and says what it made, so the
// runner never knows whether the cluster is kind or a student's kubeadm.

export interface ClusterHandle {
  name: string;
  provider: 'kind' | 'kubeconfig';
  kubeconfigPath: string;
  context?: string;
  /** What was asked for (reports read the real CNI/CRI from the cluster). */
  requested?: { cni?: string; cri?: string; nodes?: number; kubernetesVersion?: string };
  /** Deletes what the provider created; a no-op for an existing cluster. */
  release(): Promise<void>;
}

export type Progress = (step: string, detail?: string) => void;
