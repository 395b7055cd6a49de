// Marks of earlier kconform runs, read before any decision about the cluster's
// shape: a cordon (kconform.io/cordoned-by=<run>), kconform's own taints and
// labels on nodes (kconform.io/evict-test-<run>, kconform.io/sched-<run>), and
// namespaces labelled kconform.io/run=<run>. Each is named with its run id and
// the `kconform clean --run <run>` that removes it. Pure.
import type { KubeObject } from '../kube/types.ts';
import type { NodeObject } from '../kube/objects.ts';
import { CORDONED_BY, MARK_PREFIX, TAINT_PREFIX, UNSCHEDULABLE_TAINT } from './marks.ts';
import { LABEL_RUN } from '../plan/ids.ts';

export interface Leftover {
  runId: string;
  kind: 'cordon' | 'taint' | 'label' | 'namespace';
  /** The node or namespace carrying the mark. */
  object: string;
  /** The mark itself, e.g. "taint kconform.io/evict-test-abc123:NoExecute". */
  mark: string;
  /** Keeps ordinary pods off the node (a cordon, a NoSchedule/NoExecute taint). */
  blocksPods: boolean;
}

const runOfKey = (key: string, prefix: string) => (key.startsWith(prefix) ? key.slice(prefix.length) || undefined : undefined);

export function nodeLeftovers(n: NodeObject): Leftover[] {
  const name = n.metadata.name ?? '';
  const out: Leftover[] = [];
  const cordonedBy = n.metadata.annotations?.[CORDONED_BY];
  if (cordonedBy) {
    out.push({
      runId: cordonedBy,
      kind: 'cordon',
      object: name,
      mark: `${n.spec?.unschedulable ? 'cordon' : 'cordon mark'} (annotation ${CORDONED_BY}=${cordonedBy})`,
      blocksPods: n.spec?.unschedulable === true,
    });
  }
  for (const t of n.spec?.taints ?? []) {
    const runId = runOfKey(t.key, TAINT_PREFIX) ?? runOfKey(t.key, MARK_PREFIX);
    if (!runId) continue;
    out.push({
      runId,
      kind: 'taint',
      object: name,
      mark: `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
      blocksPods: t.effect === 'NoSchedule' || t.effect === 'NoExecute',
    });
  }
  for (const key of Object.keys(n.metadata.labels ?? {})) {
    const runId = runOfKey(key, MARK_PREFIX);
    if (runId) out.push({ runId, kind: 'label', object: name, mark: `label ${key}`, blocksPods: false });
  }
  return out;
}

export function namespaceLeftovers(namespaces: KubeObject[]): Leftover[] {
  return namespaces.flatMap((ns) => {
    const runId = ns.metadata.labels?.[LABEL_RUN];
    // A namespace already being deleted is on its way out, not left behind.
    return runId && !ns.metadata.deletionTimestamp ? [{ runId, kind: 'namespace' as const, object: ns.metadata.name ?? '', mark: `namespace ${ns.metadata.name}`, blocksPods: false }] : [];
  });
}

/** Every mark of a run other than `currentRun` on these nodes and namespaces. */
export function findLeftovers(nodes: NodeObject[], namespaces: KubeObject[], currentRun?: string): Leftover[] {
  return [...nodes.flatMap(nodeLeftovers), ...namespaceLeftovers(namespaces)].filter((l) => l.runId !== currentRun);
}

export function cleanCommand(runId: string): string {
  return `kconform clean --run ${runId}`;
}

/**
 * One sentence per earlier run: what it left where, and the command that
 * removes it. "kconform run abc123 left: node w1: cordon (...), taint ...;
 * namespace kconform-net-abc123; remove with: kconform clean --run abc123".
 */
export function describeLeftovers(leftovers: Leftover[]): string[] {
  const byRun = new Map<string, Leftover[]>();
  for (const l of leftovers) byRun.set(l.runId, [...(byRun.get(l.runId) ?? []), l]);
  return [...byRun].map(([runId, ls]) => {
    const perObject = new Map<string, string[]>();
    for (const l of ls) {
      const where = l.kind === 'namespace' ? 'namespace' : `node ${l.object}`;
      perObject.set(where, [...(perObject.get(where) ?? []), l.kind === 'namespace' ? l.object : l.mark]);
    }
    const parts = [...perObject].map(([where, marks]) => `${where}: ${marks.join(', ')}`);
    return `kconform run ${runId} left ${parts.join('; ')}; remove with: ${cleanCommand(runId)}`;
  });
}

/** Whether a node's cordon/taints would still keep pods off without kconform's leftover marks. */
export function blockedWithoutLeftovers(n: NodeObject, ignoreControlPlane: (key: string) => boolean): boolean {
  const marked = !!n.metadata.annotations?.[CORDONED_BY];
  const ours = (key: string) => key.startsWith(TAINT_PREFIX) || key.startsWith(MARK_PREFIX) || (marked && key === UNSCHEDULABLE_TAINT);
  const cordon = n.spec?.unschedulable === true && !marked;
  return cordon || (n.spec?.taints ?? []).some((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !ours(t.key) && !ignoreControlPlane(t.key));
}
