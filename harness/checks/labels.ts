// The labels every check carries without the suite saying so, for -l/--selector
// and --list: its kind and suite, the area it tests (network, lifecycle,
// scheduling, nodes, objects) as `area=<a>` and as a key of its own (so `-l
// network` works), and markers from what it needs: destructive (changes nodes or
// a node), privileged (runs privileged pods on nodes), slow (typically more than half a minute).
import { KINDS, type CheckSpec } from './kinds.ts';
import { getCheck } from './registry.ts';

/**
 * Measured on the testbed (3-node kind, 2 cores): these take 20 s or more in the
 * concurrent default (rollouts 25-45 s, NetworkPolicy tables ~20 s,
 * serviceDistribution's 300 connections 14-30 s, kube-proxy's rules read on
 * every node 15-19 s, a drain 14-19 s, a NoExecute taint ~12 s). Workload and
 * Service endpoint checks take 3-12 s and are not slow: a slow label would
 * start them before a 30 s rollout.
 */
function isSlow(spec: CheckSpec): boolean {
  switch (spec.kind) {
    case 'rollout':
    case 'networkPolicy':
      return true;
    case 'serviceDistribution':
      return spec.sessionAffinity !== 'ClientIP';
    case 'eviction':
      return spec.mode !== 'api';
    case 'service':
      return spec.mode === 'proxyRules';
    default:
      return false;
  }
}

export function isDestructive(spec: CheckSpec): boolean {
  return getCheck(spec.kind).needs(spec).destructive === true;
}

/** Runs a privileged pod on nodes (exec on a node, reading kube-proxy's rules). */
export function isPrivileged(spec: CheckSpec): boolean {
  return (spec.kind === 'exec' && spec.node !== undefined) || (spec.kind === 'service' && spec.mode === 'proxyRules');
}

/** What the safety rule holds back on a cluster kconform did not create: destructive or privileged. */
export function isDisruptive(spec: CheckSpec): boolean {
  return isDestructive(spec) || isPrivileged(spec);
}

export function builtInLabels(spec: CheckSpec, suite: string): Record<string, string> {
  const area = KINDS[spec.kind].area;
  return {
    kind: spec.kind,
    suite,
    area,
    [area]: 'true',
    ...('mode' in spec && typeof spec.mode === 'string' ? { mode: spec.mode } : {}),
    ...(isDestructive(spec) ? { destructive: 'true' } : {}),
    ...(isPrivileged(spec) ? { privileged: 'true' } : {}),
    ...(isSlow(spec) ? { slow: 'true' } : {}),
  };
}
