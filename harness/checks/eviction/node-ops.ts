// Changing nodes, always undoably: the undo is registered with ctx.cleanup
// BEFORE the change is made (so a failure or Ctrl-C between the two still
// undoes it), and each undo only reverts what this run did (it checks the run's
// mark or taint key first), so running it twice, or after a failed change, is
// harmless.
import type { CheckContext } from '../types.ts';
import { KubeApiError, WaitTimeoutError } from '../../kube/errors.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { cordonPatch, uncordonPatch, withoutTaint, withTaint, type Taint } from './nodes.ts';
import { CORDONED_BY, UNSCHEDULABLE_TAINT } from '../../cluster/marks.ts';

const nodeRef = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });

export async function readNodes(ctx: CheckContext): Promise<NodeObject[]> {
  return ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal });
}

async function readNode(ctx: CheckContext, name: string): Promise<NodeObject> {
  const n = await ctx.kube.get<NodeObject>(nodeRef(name));
  if (!n) throw new Error(`node ${name} disappeared`);
  return n;
}

export interface Cordoned {
  node: string;
  /** Uncordons now (and forgets the cleanup step). */
  uncordon(): Promise<void>;
}

/** Cordons `node`, marked kconform.io/cordoned-by=<runId>; the uncordon is registered first. */
export async function cordon(ctx: CheckContext, node: string): Promise<Cordoned> {
  const undo = () => uncordonIfOurs(ctx, node);
  const forget = ctx.cleanup.add(`uncordon node ${node}`, undo);
  await ctx.kube.patch(nodeRef(node), cordonPatch(ctx.runId), 'merge', { signal: ctx.signal });
  return {
    node,
    uncordon: async () => {
      await undo();
      forget();
    },
  };
}

/** Uncordons only a node this run marked; then waits (briefly) for the controller to drop its unschedulable taint. */
async function uncordonIfOurs(ctx: CheckContext, node: string): Promise<void> {
  const n = await readNode(ctx, node);
  if (n.metadata.annotations?.[CORDONED_BY] !== ctx.runId) return;
  await ctx.kube.patch(nodeRef(node), uncordonPatch(), 'merge');
  try {
    await ctx.kube.waitFor<NodeObject>(
      'v1',
      'Node',
      { name: node },
      ([x]) => {
        const left = (x?.spec?.taints ?? []).some((t) => t.key === UNSCHEDULABLE_TAINT);
        return { done: !left, observed: left ? `taint ${UNSCHEDULABLE_TAINT} still on ${node}` : 'clean' };
      },
      { description: `node ${node} to lose its unschedulable taint`, timeoutMs: 20_000 },
    );
  } catch (err) {
    // The node is schedulable again; the taint is the node controller's to remove.
    if (!(err instanceof WaitTimeoutError)) throw err;
  }
}

/** Read-modify-write of a node's taints, guarded by resourceVersion and retried on conflict. */
async function updateTaints(ctx: CheckContext, node: string, change: (t: Taint[] | undefined) => Taint[] | undefined): Promise<NodeObject> {
  for (let attempt = 1; ; attempt++) {
    const n = await readNode(ctx, node);
    const current = n.spec?.taints as Taint[] | undefined;
    const next = change(current);
    if (next === undefined) return n;
    try {
      return await ctx.kube.patch<NodeObject>(nodeRef(node), { metadata: { resourceVersion: n.metadata.resourceVersion }, spec: { taints: next } }, 'merge');
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409 && attempt < 5) continue;
      throw err;
    }
  }
}

export interface Tainted {
  node: string;
  key: string;
  /** Harness epoch ms just before and after the write that added the taint. */
  sentAt: number;
  doneAt: number;
  remove(): Promise<void>;
}

/** Adds a taint; its removal (by key) is registered first. */
export async function addTaint(ctx: CheckContext, node: string, taint: Taint): Promise<Tainted> {
  const undo = async () => {
    await updateTaints(ctx, node, (t) => ((t ?? []).some((x) => x.key === taint.key) ? withoutTaint(t, taint.key) : undefined));
  };
  const forget = ctx.cleanup.add(`remove taint ${taint.key}:${taint.effect} from node ${node}`, undo);
  const sentAt = Date.now();
  await updateTaints(ctx, node, (t) => withTaint(t, taint));
  const doneAt = Date.now();
  return {
    node,
    key: taint.key,
    sentAt,
    doneAt,
    remove: async () => {
      await undo();
      forget();
    },
  };
}
