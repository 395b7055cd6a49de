// The safety rule: on a cluster kconform did not create, destructive checks
// (drain, taint, node labels, commands on nodes, privileged pods) run only when
// the user said so (--allow-disruptive) or the suite states `disruptive: true`;
// otherwise they are skipped with the reason. Read-only mode is stricter and is
// left to the runner (its own skip reason).
import type { Plan, PlannedCheck } from '../plan/plan.ts';
import type { CheckSpec } from '../checks/kinds.ts';
import { isDisruptive } from '../checks/labels.ts';

export interface DisruptivePolicy {
  /** The cluster was created by this kconform run (conformance, matrix, run --provider kind). */
  ownCluster: boolean;
  /** --allow-disruptive. */
  allow: boolean;
  /** How the console names the target, e.g. "context kind-lab (https://127.0.0.1:6443)". */
  target: string;
}

export function disruptiveSkipReason(target: string): string {
  return `not run: this check changes nodes or runs privileged pods, and ${target} is a cluster kconform did not create; pass --allow-disruptive (or set disruptive: true in the suite) to run it`;
}

/** The plan with held-back checks marked skipped; `held` lists their ids. */
export function holdBackDisruptive(
  plan: Plan,
  suitesStatingIt: ReadonlySet<string>,
  policy: DisruptivePolicy,
  disruptive: (spec: CheckSpec) => boolean = isDisruptive,
): { plan: Plan; held: string[] } {
  if (policy.ownCluster || policy.allow || plan.options.readOnly) return { plan, held: [] };
  const held: string[] = [];
  const reason = disruptiveSkipReason(policy.target);
  const suites = plan.suites.map((s) => {
    if (suitesStatingIt.has(s.name)) return s;
    const checks = s.checks.map((c): PlannedCheck => {
      if (c.skipReason || !disruptive(c.spec)) return c;
      held.push(c.id);
      return { ...c, skipReason: reason };
    });
    return { ...s, checks };
  });
  return { plan: { ...plan, suites }, held };
}
