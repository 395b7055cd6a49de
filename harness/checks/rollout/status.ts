// A Deployment's rollout state as `kubectl rollout status` reads it, and its
// Progressing condition (ProgressDeadlineExceeded means stuck). Pure.

export interface DeploymentStatusLike {
  metadata: { name?: string; generation?: number; annotations?: Record<string, string> };
  spec?: { replicas?: number; progressDeadlineSeconds?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export interface RolloutState {
  /** Every replica updated and available, no old replica left, the latest spec observed. */
  complete: boolean;
  /** The Progressing condition says ProgressDeadlineExceeded (about the newest spec). */
  stuck: boolean;
  /** "2/3 updated, 4 total, 3 available (Progressing True ReplicaSetUpdated)". */
  words: string;
}

export function progressing(d: DeploymentStatusLike): { status: string; reason: string; message: string } | undefined {
  const c = d.status?.conditions?.find((x) => x.type === 'Progressing');
  return c ? { status: c.status, reason: c.reason ?? '', message: c.message ?? '' } : undefined;
}

export function rolloutState(d: DeploymentStatusLike): RolloutState {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const p = progressing(d);
  // A condition from before the newest spec was observed says nothing about this rollout.
  const stuck = observed && p?.reason === 'ProgressDeadlineExceeded';
  const complete = observed && updated === want && total === want && available === want;
  const words = `${updated}/${want} updated, ${total} total, ${available} available${observed ? '' : ' (newest spec not yet observed)'}${p ? ` (Progressing ${p.status} ${p.reason})` : ''}`;
  return { complete, stuck, words };
}

export function revisionNumber(d: { metadata: { annotations?: Record<string, string> } }): number {
  const v = d.metadata.annotations?.['deployment.kubernetes.io/revision'];
  return v && /^\d+$/.test(v) ? Number(v) : 0;
}
