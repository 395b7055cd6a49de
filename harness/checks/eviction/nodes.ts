// Node facts for the destructive eviction modes: which workers may be used,
// what a previous run left behind (a cordon marked kconform.io/cordoned-by, a
// kconform.io/evict-test-* taint), and the patches that cordon, uncordon, add
// and remove a taint. Pure.
import type { NodeObject } from '../../kube/objects.ts';
import { roleOf } from '../../cluster/node-facts.ts';
import { CORDONED_BY, TAINT_PREFIX, UNSCHEDULABLE_TAINT } from '../../cluster/marks.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface NodeFacts {
  name: string;
  worker: boolean;
  ready: boolean;
  unschedulable: boolean;
  /** Run id in the kconform.io/cordoned-by annotation. */
  cordonedBy?: string;
  /** kconform.io/evict-test-* taints. */
  testTaints: Taint[];
  /** Taints that keep ordinary pods off (NoSchedule/NoExecute), kconform's own excluded. */
  blockingTaints: Taint[];
}

export function nodeFacts(n: NodeObject): NodeFacts {
  const taints = (n.spec?.taints ?? []) as Taint[];
  const cordonedBy = n.metadata.annotations?.[CORDONED_BY];
  return {
    name: n.metadata.name ?? '',
    worker: roleOf(n) === 'worker',
    ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    unschedulable: n.spec?.unschedulable === true,
    ...(cordonedBy !== undefined ? { cordonedBy } : {}),
    testTaints: taints.filter((t) => t.key.startsWith(TAINT_PREFIX)),
    blockingTaints: taints.filter((t) => !t.key.startsWith(TAINT_PREFIX) && t.key !== UNSCHEDULABLE_TAINT && (t.effect === 'NoSchedule' || t.effect === 'NoExecute')),
  };
}

/** What earlier runs left on the nodes, one sentence each, naming the node and how to undo it. */
export function leftovers(nodes: NodeFacts[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.cordonedBy !== undefined) {
      out.push(
        `node ${n.name} was left ${n.unschedulable ? 'cordoned' : 'marked'} by kconform run ${n.cordonedBy} (annotation ${CORDONED_BY}=${n.cordonedBy}): ` +
          `uncordon it (kubectl uncordon ${n.name}; kubectl annotate node ${n.name} ${CORDONED_BY}-) or run kconform clean`,
      );
    }
    for (const t of n.testTaints) {
      out.push(`node ${n.name} still has taint ${t.key}:${t.effect} from kconform run ${t.key.slice(TAINT_PREFIX.length)}: remove it (kubectl taint nodes ${n.name} ${t.key}-) or run kconform clean`);
    }
  }
  return out;
}

/** Workers ordinary pods can be scheduled on. */
export function usableWorkers(nodes: NodeFacts[]): NodeFacts[] {
  return nodes.filter((n) => n.worker && n.ready && !n.unschedulable && n.blockingTaints.length === 0).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The worker to drain or taint: the requested one, else the usable worker
 * holding most of `podsPerNode` (ties by name). A requested node that cannot be
 * used is a problem in words, never silently replaced.
 */
export function chooseWorker(nodes: NodeFacts[], opts: { requested?: string; podsPerNode?: Map<string, number> } = {}): { node: string } | { problem: string } {
  if (opts.requested) {
    const n = nodes.find((x) => x.name === opts.requested);
    if (!n) return { problem: `node ${opts.requested} does not exist (nodes: ${nodes.map((x) => x.name).join(', ')})` };
    if (!n.worker) return { problem: `node ${n.name} is a control-plane node: only workers are drained or tainted` };
    if (n.unschedulable) return { problem: `node ${n.name} is already unschedulable (cordoned outside this run): refusing to use it; uncordon it first (kubectl uncordon ${n.name})` };
    if (!n.ready) return { problem: `node ${n.name} is not Ready` };
    return { node: n.name };
  }
  const usable = usableWorkers(nodes);
  if (usable.length === 0) {
    const cordoned = nodes.filter((x) => x.worker && x.unschedulable).map((x) => x.name);
    return { problem: `no schedulable, Ready worker${cordoned.length ? ` (unschedulable: ${cordoned.join(', ')})` : ''}` };
  }
  const count = (n: string) => opts.podsPerNode?.get(n) ?? 0;
  const best = [...usable].sort((a, b) => count(b.name) - count(a.name) || (a.name < b.name ? -1 : 1))[0]!;
  return { node: best.name };
}

/** Merge patch: cordon and mark with the run id, in one write (so a mark never misses a cordon). */
export function cordonPatch(runId: string): unknown {
  return { metadata: { annotations: { [CORDONED_BY]: runId } }, spec: { unschedulable: true } };
}

/** Merge patch: uncordon and drop the mark. */
export function uncordonPatch(): unknown {
  return { metadata: { annotations: { [CORDONED_BY]: null } }, spec: { unschedulable: null } };
}

export function testTaintKey(runId: string): string {
  return `${TAINT_PREFIX}${runId}`;
}

/** The node's taints with `taint` added (replacing one with the same key and effect). */
export function withTaint(taints: Taint[] | undefined, taint: Taint): Taint[] {
  return [...(taints ?? []).filter((t) => !(t.key === taint.key && t.effect === taint.effect)), taint];
}

export function withoutTaint(taints: Taint[] | undefined, key: string): Taint[] {
  return (taints ?? []).filter((t) => t.key !== key);
}
