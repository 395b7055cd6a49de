// What a batch grades, read from the plan before any cluster work: the score
// sheet's columns (with the checks every student skips in this mode), and the
// fixtures that would change something outside kconform's own namespace (which
// read-only grading refuses). Pure.
import type { Plan } from '../plan/plan.ts';
import type { CheckNeeds } from '../checks/types.ts';
import type { CheckSpec } from '../checks/kinds.ts';
import { isClusterScoped } from '../plan/scope.ts';
import { describeRef, refOf } from '../kube/types.ts';
import type { Column } from './scores.ts';

export const READ_ONLY_SKIP = 'read-only mode: this check changes the cluster (nodes, taints or labels)';

export function planColumns(plan: Plan, needs: (spec: CheckSpec) => CheckNeeds): Column[] {
  return plan.suites.flatMap((s) =>
    s.checks.map((c) => {
      const skipReason = c.skipReason ?? (plan.options.readOnly && needs(c.spec).destructive ? READ_ONLY_SKIP : undefined);
      return { id: c.id, name: c.name, suite: s.name, kind: c.spec.kind, points: c.points ?? 0, ...(skipReason ? { skipReason } : {}) };
    }),
  );
}

/** Fixture objects that are cluster-scoped or in another namespace than their suite's, in words. */
export function fixturesOutsideOwnNamespace(plan: Plan): string[] {
  return plan.suites.flatMap((s) =>
    s.fixtures.flatMap((f) =>
      f.objects
        .filter((o) => isClusterScoped(o.kind) || (o.metadata.namespace !== undefined && o.metadata.namespace !== s.namespace))
        .map((o) => `${s.name}: fixture ${f.origin}: ${describeRef(refOf(o))}`),
    ),
  );
}
