// Warm-up before the counted requests. kube-proxy programs a node some time
// after the EndpointSlice changes (iptables mode batches syncs, by default at
// most one per second, longer on a loaded node) and that cannot be watched, so
// the check probes in rounds until every endpoint has answered in one round.
// A round bound alone was too short on a busy machine: the counted requests
// then started while only the first endpoint was programmed, and a healthy
// cluster failed the uniformity test (sd-0 134, sd-1 88, sd-2 78).

export interface WarmUpResult {
  rounds: number;
  ms: number;
  /** Endpoints that answered in the last round. */
  answering: number;
  /** Every wanted endpoint answered in one round. */
  complete: boolean;
}

/**
 * Runs `round` (which returns how many distinct endpoints answered) until it
 * reaches `want` or `budgetMs` has passed; at least one round always runs.
 */
export async function warmUp(round: (n: number) => Promise<number>, want: number, budgetMs: number, now: () => number = Date.now): Promise<WarmUpResult> {
  const start = now();
  let rounds = 0;
  let answering = 0;
  do {
    rounds++;
    answering = await round(rounds);
    if (answering >= want) return { rounds, ms: now() - start, answering, complete: true };
  } while (now() - start < budgetMs);
  return { rounds, ms: now() - start, answering, complete: false };
}

export function describeWarmUp(w: WarmUpResult, want: number): string {
  const took = `${w.rounds} round(s), ${(w.ms / 1000).toFixed(1)}s`;
  return w.complete
    ? `${want} endpoint(s) answered after ${took}; warm-up requests are not counted`
    : `only ${w.answering} of ${want} endpoint(s) answered in the last warm-up round (${took}); counted anyway`;
}
