// Rollback the way `kubectl rollout undo` does it, client-side: pick the
// ReplicaSet of the wanted revision among those the Deployment owns, copy its
// pod template (minus the pod-template-hash label the controller added) back
// into the Deployment, with the ReplicaSet's annotations. The controller then
// reuses that ReplicaSet under a new, higher revision number. Pure.

export const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

/** Annotations that describe a ReplicaSet's own bookkeeping, never copied onto the Deployment. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: unknown;
  [k: string]: unknown;
}

export interface DeploymentLike {
  metadata: { name?: string; uid?: string; annotations?: Record<string, string> };
  spec?: { paused?: boolean; template?: PodTemplate };
}

export interface ReplicaSetLike {
  metadata: { name?: string; uid?: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; uid?: string; controller?: boolean }[] };
  spec?: { template?: PodTemplate };
}

export type RollbackChoice =
  | { ok: true; revision: number; replicaSet: string; template: PodTemplate; annotations: Record<string, string> }
  | { ok: false; skipped: boolean; reason: string };

export function revisionOf(o: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = o.metadata.annotations?.[REVISION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function ownedBy(rs: ReplicaSetLike, deployment: DeploymentLike): boolean {
  return !!rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.controller && o.uid === deployment.metadata.uid);
}

/** The template without the controller's pod-template-hash label. */
export function withoutHash(t: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[HASH_LABEL];
  }
  return copy;
}

/** Deep equality with keys in any order. */
export function sameTemplate(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The ReplicaSet to roll back to: `toRevision` when given (> 0), else the
 * newest revision below the newest one (the previous revision).
 */
export function chooseRollback(deployment: DeploymentLike, replicaSets: ReplicaSetLike[], toRevision = 0): RollbackChoice {
  const name = deployment.metadata.name ?? '?';
  if (deployment.spec?.paused) {
    return { ok: false, skipped: false, reason: `Deployment ${name} is paused: resume it before rolling back` };
  }
  const history = replicaSets
    .filter((rs) => ownedBy(rs, deployment))
    .map((rs) => ({ rs, revision: revisionOf(rs) }))
    .filter((h): h is { rs: ReplicaSetLike; revision: number } => h.revision !== undefined)
    .sort((a, b) => b.revision - a.revision);
  let target: { rs: ReplicaSetLike; revision: number } | undefined;
  if (toRevision > 0) {
    target = history.find((h) => h.revision === toRevision);
    if (!target) {
      return { ok: false, skipped: false, reason: `unable to find revision ${toRevision} of Deployment ${name} in its history (revisions: ${history.map((h) => h.revision).reverse().join(', ') || 'none'})` };
    }
  } else {
    target = history[1];
    if (!target) return { ok: false, skipped: false, reason: `no rollout history found for Deployment ${name}: nothing to roll back to` };
  }
  const template = withoutHash(target.rs.spec?.template);
  if (sameTemplate(template, deployment.spec?.template)) {
    return { ok: false, skipped: true, reason: `skipped rollback: the current template already matches revision ${target.revision}` };
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(deployment.metadata.annotations ?? {})) if (NOT_COPIED.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(target.rs.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) annotations[k] = v;
  return { ok: true, revision: target.revision, replicaSet: target.rs.metadata.name ?? '?', template, annotations };
}

/** The JSON patch that applies a rollback to the Deployment. */
export function rollbackPatch(choice: Extract<RollbackChoice, { ok: true }>): { op: 'replace'; path: string; value: unknown }[] {
  return [
    { op: 'replace', path: '/spec/template', value: choice.template },
    { op: 'replace', path: '/metadata/annotations', value: choice.annotations },
  ];
}
