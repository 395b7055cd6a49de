// maxSurge / maxUnavailable as the Deployment controller resolves them: a count,
// or a percentage of replicas rounded up (surge) or down (unavailable); both 0
// becomes unavailable 1 so a rollout can make progress. Pure.

export type IntOrPercent = number | string;

export interface RollingLimits {
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
}

/** Kubernetes' default for both fields. */
export const DEFAULT_LIMIT: IntOrPercent = '25%';

export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid count or percentage ${JSON.stringify(v)}`);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function resolveLimits(replicas: number, maxSurge: IntOrPercent = DEFAULT_LIMIT, maxUnavailable: IntOrPercent = DEFAULT_LIMIT): RollingLimits {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  // The controller's fencepost rule: with no surge and no unavailability a rollout could never move.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { replicas, maxSurge: surge, maxUnavailable: Math.min(unavailable, replicas) };
}
