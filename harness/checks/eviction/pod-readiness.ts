// Whether pods that should have stayed Ready through an eviction pass did: a
// pod that went unready (even for a second) changes what its budget allows,
// and the Eviction API lets an unready pod go while the budget is met. Pure.

export interface ReadyPod {
  metadata: { name?: string };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

/**
 * Names the pods of `watched` that were not Ready at some point after
 * `sinceMs` (not Ready now, Ready again since then, or gone), with the budget as
 * read now; undefined when every one stayed Ready. The Ready condition's time
 * has whole seconds, so a pod that became Ready before `sinceMs` never counts.
 */
export function movedPods(live: ReadyPod[], watched: string[], sinceMs: number, budgetNow: string): string | undefined {
  const byName = new Map(live.map((p) => [p.metadata.name ?? '', p]));
  const words: string[] = [];
  for (const name of watched) {
    const pod = byName.get(name);
    const ready = pod?.status?.conditions?.find((c) => c.type === 'Ready');
    if (!pod) words.push(`pod ${name} is gone`);
    else if (ready?.status !== 'True') words.push(`pod ${name} is not Ready`);
    else if (ready.lastTransitionTime && Date.parse(ready.lastTransitionTime) > sinceMs) words.push(`pod ${name} went unready and was Ready again at ${ready.lastTransitionTime}`);
  }
  return words.length > 0 ? `${words.join(', ')}; PDB then: ${budgetNow}` : undefined;
}
