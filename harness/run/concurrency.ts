// How many checks run at once. `--parallel auto` (the default) is decided here
// from what the checks need: most of a check's time is waiting on the cluster
// (pods starting, watches, paced traffic), so a few run well side by side; but
// every probe pod and kube-proxy rule is work for the nodes, which share the
// host's CPUs, and the checks that time traffic (no request may fail, answers
// within 1-2 s) need that CPU to answer in time. Measured on 2-core machines:
// see bench/conformance-time.ts and the README.
import os from 'node:os';

/** RunOptions.parallel value meaning "decide here". */
export const PARALLEL_AUTO = 0;

/** Checks at once for `auto`: two per CPU, at least 2, at most 4. */
export function autoParallel(cpus: number = os.availableParallelism()): number {
  return Math.max(2, Math.min(4, 2 * cpus));
}

/** The number of checks at once for a plan's `parallel` option (1 = one at a time, in order). */
export function resolveParallel(parallel: number): number {
  if (parallel === PARALLEL_AUTO) return autoParallel();
  return Math.max(1, Math.floor(parallel));
}
