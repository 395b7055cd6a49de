// Reading the check's PodDisruptionBudget and evicting through the Eviction API.
import type { CheckContext } from '../types.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import type { KubeObject } from '../../kube/types.ts';
import { policyText, type PdbLike } from './drain.ts';

export type PdbObject = KubeObject & PdbLike;

export async function readPdb(ctx: CheckContext, name: string): Promise<PdbObject | undefined> {
  return ctx.kube.get<PdbObject>({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name, namespace: ctx.namespace });
}

export function pdbWords(p: PdbLike | undefined): string {
  const s = p?.status;
  if (!p || !s) return 'no status yet';
  return `${policyText(p)}: ${s.currentHealthy ?? 0}/${s.expectedPods ?? 0} healthy, ${s.desiredHealthy ?? 0} desired, ${s.disruptionsAllowed ?? 0} disruption(s) allowed`;
}

/** Watches the budget until `cond` holds on its current status; returns it as last seen either way. */
export async function waitPdb(ctx: CheckContext, name: string, cond: (p: PdbLike) => boolean, what: string, timeoutMs: number): Promise<{ held: boolean; pdb?: PdbObject }> {
  let last: PdbObject | undefined;
  try {
    await ctx.kube.waitFor<PdbObject>(
      'policy/v1',
      'PodDisruptionBudget',
      { namespace: ctx.namespace, name },
      ([p]) => {
        last = p;
        const current = !!p && (p.status?.observedGeneration ?? -1) >= (p.metadata.generation ?? 0);
        return { done: !!p && current && cond(p), observed: pdbWords(p) };
      },
      { description: `PDB ${name} ${what}`, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal },
    );
    return { held: true, ...(last ? { pdb: last } : {}) };
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    return { held: false, ...(last ? { pdb: last } : {}) };
  }
}
