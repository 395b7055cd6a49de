// The labels every check carries without the suite saying so, for -l/--selector
// and --list: its kind and suite, the area it tests (network, lifecycle,
// scheduling, nodes, objects) as `area=<a>` and as a key of its own (so `-l
// network` works), and markers from what it needs: destructive (changes nodes or
// a node), privileged (runs privileged pods on nodes), slow (typically more than half a minute).
import { KINDS, type CheckSpec } from './kinds.ts';
import { getCheck } from './registry.ts';

/** Measured on the testbed: these take 30 s or more on a 3-node kind cluster. */
function isSlow(spec: CheckSpec): boolean {
  switch (spec.kind) {
    case 'rollout':
    case 'networkPolicy':
      return true;
    case 'eviction':
      return spec.mode !== 'api';
    case 'workload':
      return spec.mode !== 'multiContainer';
    case 'service':
      return spec.mode === 'endpoints' || spec.mode === 'proxyRules';
    default:
      return false;
  }
}

/**
 * How long a check typically takes beside others (seconds, medians of 10 runs of
 * `run suites --parallel auto` on the 2-core testbed, 2026-12): the scheduler
 * starts the longest first, so the run does not end waiting on a long check
 * that started last. An estimate for ordering only; no check is timed by it.
 */
export function typicalSeconds(spec: CheckSpec): number {
  switch (spec.kind) {
    case 'rollout':
      return 27;
    case 'networkPolicy':
      return 25;
    case 'eviction':
      return spec.mode === 'api' ? 8 : spec.mode === 'drain' ? 15 : 12;
    case 'service':
      return spec.mode === 'proxyRules' ? 18 : spec.mode === 'endpoints' ? 11 : 10;
    case 'serviceDistribution':
      return spec.sessionAffinity === 'ClientIP' ? 10 : 18;
    case 'podNetwork':
      return 12;
    case 'workload':
      return spec.mode === 'selfHealing' ? 12 : spec.mode === 'scaling' ? 10 : 6;
    case 'scheduling':
      return spec.mode === 'nodeSelector' ? 5 : spec.mode === 'taints' ? 3 : 2;
    case 'dns':
      return 5;
    case 'http':
      return 4;
    case 'exec':
      return 3;
    default:
      return 1;
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
