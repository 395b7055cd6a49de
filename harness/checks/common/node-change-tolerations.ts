// Tolerations of the node changes kconform's own node-changing checks make in
// this run (a drain's cordon, the scheduling check's NoSchedule taint, the
// eviction check's NoExecute taint). A check whose every pod carries them and is
// pinned to no node cannot feel those changes, so it may run beside such a check
// (CheckNeeds.toleratesNodeChanges). Keys carry the run id: nothing of another
// run, nor any taint of the cluster's own, is tolerated.
import { MARK_PREFIX, TAINT_PREFIX, UNSCHEDULABLE_TAINT } from '../../cluster/marks.ts';

export type Toleration = { key: string; operator: 'Exists'; effect: 'NoSchedule' | 'NoExecute' };

export function nodeChangeTolerations(runId: string): Toleration[] {
  return [
    { key: `${MARK_PREFIX}${runId}`, operator: 'Exists', effect: 'NoSchedule' },
    { key: `${TAINT_PREFIX}${runId}`, operator: 'Exists', effect: 'NoExecute' },
    { key: UNSCHEDULABLE_TAINT, operator: 'Exists', effect: 'NoSchedule' },
  ];
}
