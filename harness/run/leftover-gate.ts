// Leftovers first: before any decision from the cluster's shape, a check that
// cannot run because of an earlier run's marks is an error naming them and the
// `kconform clean --run ID` that removes them (never a quiet skip: the marks
// would otherwise make a broken run look like a small cluster).
import type { CheckNeeds } from '../checks/types.ts';
import { unmetNeed, type ClusterShape } from '../cluster/shape.ts';
import { describeLeftovers } from '../cluster/leftovers.ts';

export function blockedByLeftovers(needs: CheckNeeds, shape: ClusterShape | undefined, what: string): string | undefined {
  const marks = shape?.leftovers ?? [];
  if (!shape || marks.length === 0) return undefined;
  const blocking = marks.filter((l) => l.blocksPods);
  const unmet = unmetNeed(needs, shape, what);
  if (unmet && blocking.length > 0 && !unmetNeed(needs, { ...shape, schedulableWorkers: shape.schedulableWorkersWithoutLeftovers }, what)) {
    return `${unmet} because of marks left by earlier runs: ${describeLeftovers(blocking).join('; ')}`;
  }
  // A check that changes nodes would stack its own marks on the old ones, and
  // its undo could not tell them apart.
  if (needs.destructive && blocking.length > 0) {
    return `${what} changes nodes, but nodes still carry marks of earlier runs: ${describeLeftovers(blocking).join('; ')}`;
  }
  return undefined;
}
