// Labels and taints the scheduling check puts on a node, and their undoing.
// Every mark is a kconform.io/sched-<runId> key, so a leftover is recognisable
// (and removable by removeLeftoverMarks). The undo is registered on the line
// right after the change is sent and first waits for that request to settle:
// a Ctrl-C or deadline at any moment (even mid-request) still removes the mark.
import type { Kube } from '../../kube/client.ts';
import { AbortedError, KubeApiError } from '../../kube/errors.ts';
import type { CheckContext } from '../types.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { MARK_PREFIX } from '../../cluster/marks.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export function markKey(runId: string): string {
  return `${MARK_PREFIX}${runId}`;
}

export function taintText(t: { key: string; value?: string; effect: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

const nodeRef = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });
const CONFLICT_RETRIES = 5;

/** Labels the node; its removal is registered with ctx.cleanup. */
export async function labelNode(ctx: CheckContext, node: string, key: string, value: string): Promise<void> {
  if (ctx.signal.aborted) throw new AbortedError(`label node ${node}: interrupted`);
  // No signal on the request: once sent it must land (or fail) before the undo runs.
  const change = ctx.kube.patch(nodeRef(node), { metadata: { labels: { [key]: value } } });
  ctx.cleanup.add(`remove label ${key} from node ${node}`, async () => {
    await change.catch(() => undefined);
    await removeLabel(ctx.kube, node, key);
  });
  await change;
}

export async function removeLabel(kube: Kube, node: string, key: string): Promise<void> {
  try {
    await kube.patch(nodeRef(node), { metadata: { labels: { [key]: null } } });
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return;
    throw err;
  }
}

/** Taints the node; its removal is registered with ctx.cleanup. */
export async function taintNode(ctx: CheckContext, node: string, taint: Taint): Promise<void> {
  if (ctx.signal.aborted) throw new AbortedError(`taint node ${node}: interrupted`);
  const change = editTaints(ctx.kube, node, (taints) => (taints.some((t) => t.key === taint.key && t.effect === taint.effect) ? undefined : [...taints, taint]));
  ctx.cleanup.add(`remove taint ${taintText(taint)} from node ${node}`, async () => {
    await change.catch(() => undefined);
    await removeTaints(ctx.kube, node, (t) => t.key === taint.key);
  });
  await change;
}

export async function removeTaints(kube: Kube, node: string, match: (t: Taint) => boolean): Promise<void> {
  await editTaints(kube, node, (taints) => (taints.some(match) ? taints.filter((t) => !match(t)) : undefined));
}

/**
 * Read-modify-write of spec.taints with the node's resourceVersion (a merge
 * patch replaces the whole list, so a concurrent change must not be lost);
 * retried on a conflict. `edit` returns undefined when nothing needs changing.
 */
async function editTaints(kube: Kube, node: string, edit: (taints: Taint[]) => Taint[] | undefined): Promise<void> {
  for (let i = 1; ; i++) {
    const n = await kube.get<NodeObject>(nodeRef(node));
    if (!n) return;
    const next = edit((n.spec?.taints ?? []) as Taint[]);
    if (!next) return;
    try {
      await kube.patch(nodeRef(node), { metadata: { resourceVersion: n.metadata.resourceVersion }, spec: { taints: next } });
      return;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409 && i < CONFLICT_RETRIES) continue;
      throw err;
    }
  }
}

/** Marks left on nodes by an interrupted run (a second Ctrl-C, a killed process): "node: key" lines. */
export function leftoverMarks(nodes: NodeObject[]): { node: string; labels: string[]; taints: Taint[] }[] {
  return nodes
    .map((n) => ({
      node: n.metadata.name ?? '',
      labels: Object.keys(n.metadata.labels ?? {}).filter((k) => k.startsWith(MARK_PREFIX)),
      taints: ((n.spec?.taints ?? []) as Taint[]).filter((t) => t.key.startsWith(MARK_PREFIX)),
    }))
    .filter((m) => m.labels.length > 0 || m.taints.length > 0);
}

/** Removes every kconform.io/sched-* label and taint (only run `onlyRun`'s when given) from every node (for `kconform clean`). */
export async function removeLeftoverMarks(kube: Kube, log: (line: string) => void, dryRun = false, onlyRun?: string): Promise<number> {
  const mine = (key: string) => onlyRun === undefined || key === markKey(onlyRun);
  const marks = leftoverMarks(await kube.list<NodeObject>('v1', 'Node'))
    .map((m) => ({ ...m, labels: m.labels.filter(mine), taints: m.taints.filter((t) => mine(t.key)) }))
    .filter((m) => m.labels.length > 0 || m.taints.length > 0);
  for (const m of marks) {
    log(`${dryRun ? 'would remove' : 'removing'} from node ${m.node}: ${[...m.labels.map((l) => `label ${l}`), ...m.taints.map((t) => `taint ${taintText(t)}`)].join(', ')}`);
    if (dryRun) continue;
    for (const l of m.labels) await removeLabel(kube, m.node, l);
    if (m.taints.length > 0) await removeTaints(kube, m.node, (t) => t.key.startsWith(MARK_PREFIX) && mine(t.key));
  }
  return marks.length;
}
