// Drain decisions, as kubectl drain makes them, for kconform's own pods: which
// pods on the node to evict and which to leave (DaemonSet pods, mirror pods,
// pods already going), and what to do when the Eviction API refuses one (429:
// retry until the deadline, unless the budget can never allow it). Pure.

export interface DrainPod {
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

export type Disposition = { action: 'evict' } | { action: 'skip'; why: string };

export function dispositionOf(p: DrainPod, namespace: string): Disposition {
  if (p.metadata.namespace !== namespace) return { action: 'skip', why: `not kconform's (namespace ${p.metadata.namespace ?? '?'})` };
  if (p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return { action: 'skip', why: 'static (mirror) pod' };
  const owner = p.metadata.ownerReferences?.find((o) => o.controller);
  if (owner?.kind === 'DaemonSet') return { action: 'skip', why: `DaemonSet ${owner.name} pod (its controller ignores unschedulable nodes)` };
  if (p.metadata.deletionTimestamp) return { action: 'skip', why: 'already terminating' };
  if (!owner) return { action: 'skip', why: 'no controller would replace it (kubectl drain needs --force)' };
  return { action: 'evict' };
}

/** The budget's name in an Eviction API refusal ("The disruption budget web-pdb needs 2 healthy pods..."). */
export function pdbNameOf(message: string): string | undefined {
  return /disruption budget ([a-z0-9]([-a-z0-9.]*[a-z0-9])?)/.exec(message)?.[1];
}

/** The budget's own sentence from a refusal ("The disruption budget web-pdb needs 2 healthy pods and has 2 currently"), else the whole message. */
export function budgetWords(message: string): string {
  return /The disruption budget .*$/.exec(message)?.[0] ?? message;
}

export interface PdbLike {
  metadata: { name?: string; generation?: number };
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

export function policyText(pdb: PdbLike | undefined): string {
  const s = pdb?.spec;
  if (s?.maxUnavailable !== undefined) return `maxUnavailable ${s.maxUnavailable}`;
  if (s?.minAvailable !== undefined) return `minAvailable ${s.minAvailable}`;
  return 'no policy';
}

/**
 * True when the budget will refuse every eviction whatever happens next: its
 * status is current, every expected pod is healthy, and it still wants all of
 * them (maxUnavailable 0, or minAvailable = all).
 */
export function neverAllows(pdb: PdbLike | undefined): boolean {
  const s = pdb?.status;
  if (!pdb || !s) return false;
  const current = (s.observedGeneration ?? -1) >= (pdb.metadata.generation ?? 0);
  const expected = s.expectedPods ?? 0;
  return current && expected > 0 && (s.disruptionsAllowed ?? 0) === 0 && (s.currentHealthy ?? 0) >= expected && (s.desiredHealthy ?? 0) >= expected;
}

export interface Refusal {
  pod: string;
  /** The Eviction API's message (kube.evict). */
  message: string;
  /** The budget named in the message (or the only one over the pod), as read after the refusal. */
  pdb?: PdbLike;
  /** Refusals of this pod so far, this one included. */
  refusals: number;
  firstAt: number;
  now: number;
  deadline: number;
  retryMs: number;
}

export type RefusalDecision = { action: 'retry'; afterMs: number } | { action: 'blocked'; reason: string };

/** After a 429: retry later, or stop and say which budget blocks which pod (never just "timeout"). */
export function decideRefusal(r: Refusal): RefusalDecision {
  const name = pdbNameOf(r.message) ?? r.pdb?.metadata.name ?? '(unnamed)';
  const head = `PDB ${name} blocks eviction of ${r.pod}`;
  // Twice refused with a budget that can never allow it: waiting longer changes nothing.
  if (r.refusals >= 2 && neverAllows(r.pdb)) {
    const s = r.pdb!.status!;
    return { action: 'blocked', reason: `${head}: it allows no disruption even with all ${s.expectedPods} pods healthy (${policyText(r.pdb)})` };
  }
  if (r.now + r.retryMs > r.deadline) {
    return { action: 'blocked', reason: `${head}: refused ${r.refusals} time${r.refusals === 1 ? '' : 's'} over ${Math.round((r.now - r.firstAt) / 1000)}s (${budgetWords(r.message)})` };
  }
  return { action: 'retry', afterMs: r.retryMs };
}
