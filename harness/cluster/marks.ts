// The keys of the marks kconform's disruptive checks put on nodes. Defined here,
// below the checks that set them, so the cluster layer can recognise a leftover
// (leftovers.ts) without importing a check.

/** Set on a node while kconform keeps it cordoned; value: the run id. `kconform clean` looks for it. */
export const CORDONED_BY = 'kconform.io/cordoned-by';
/** Key prefix of the NoExecute taints the eviction check's taint mode adds (suffix: the run id). */
export const TAINT_PREFIX = 'kconform.io/evict-test-';
/** The taint the node controller adds to a cordoned node (and removes after uncordon). */
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
/** Key prefix of the labels and taints the scheduling check puts on a node (suffix: the run id). */
export const MARK_PREFIX = 'kconform.io/sched-';
