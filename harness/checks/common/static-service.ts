// Early verdicts for a Service with no ready endpoints: some causes cannot
// change by waiting (no selector; a selector that matches no pod while no
// controller in the namespace has a pod template it would match). A check that
// would retry until its `wait` runs out stops at once on them.
import type { CheckContext } from '../types.ts';
import type { KubeObject } from '../../kube/types.ts';
import { selectorMatches } from './label-near-miss.ts';

interface Controller extends KubeObject {
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } };
}

/** Pure: the diagnosis is static given the pods' controllers' templates (labels, and replicas when known). */
export function isStaticServiceCause(selector: Record<string, string>, matchingPods: number, controllers: Controller[]): boolean {
  if (Object.keys(selector).length === 0) return true;
  if (matchingPods > 0) return false;
  // A controller that wants pods whose labels the selector matches will bring them.
  return !controllers.some((c) => c.spec?.replicas !== 0 && selectorMatches(selector, c.spec?.template?.metadata?.labels ?? {}));
}

/** Reads the namespace's controllers; undefined (not static) when they cannot be read. */
export async function staticServiceCause(ctx: CheckContext, namespace: string, selector: Record<string, string>, matchingPods: number): Promise<boolean> {
  if (Object.keys(selector).length === 0) return true;
  if (matchingPods > 0) return false;
  try {
    const lists = await Promise.all(
      [['apps/v1', 'ReplicaSet'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'], ['batch/v1', 'Job']].map(([v, k]) => ctx.kube.list<Controller>(v!, k!, { namespace, signal: ctx.signal })),
    );
    return isStaticServiceCause(selector, matchingPods, lists.flat());
  } catch {
    return false;
  }
}
