// Check kind -> implementation. The spec union in harness/suite/specs/index.ts
// lists the same kinds; the mapped type makes a missing entry a compile error.
import type { CheckKind, CheckSpec } from '../suite/specs/index.ts';
import type { CheckDefinition } from './types.ts';
import { nodesCheck } from './nodes/check.ts';
import { podNetworkCheck } from './podNetwork/check.ts';
import { serviceDistributionCheck } from './serviceDistribution/check.ts';
import { dnsCheck } from './dns/check.ts';
import { assertCheck } from './assert/check.ts';
import { execCheck } from './exec/check.ts';
import { httpCheck } from './http/check.ts';
import { serviceCheck } from './service/check.ts';
import { workloadCheck } from './workload/check.ts';
import { schedulingCheck } from './scheduling/check.ts';
import { rolloutCheck } from './rollout/check.ts';
import { evictionCheck } from './eviction/check.ts';
import { networkPolicyCheck } from './networkPolicy/check.ts';

type Registry = { [K in CheckKind]: CheckDefinition<Extract<CheckSpec, { kind: K }>> };

const REGISTRY: Registry = {
  nodes: nodesCheck,
  podNetwork: podNetworkCheck,
  serviceDistribution: serviceDistributionCheck,
  dns: dnsCheck,
  assert: assertCheck,
  exec: execCheck,
  http: httpCheck,
  service: serviceCheck,
  workload: workloadCheck,
  scheduling: schedulingCheck,
  rollout: rolloutCheck,
  eviction: evictionCheck,
  networkPolicy: networkPolicyCheck,
};

export function getCheck(kind: CheckKind): CheckDefinition {
  return REGISTRY[kind] as unknown as CheckDefinition;
}

export function allChecks(): CheckDefinition[] {
  return Object.values(REGISTRY) as unknown as CheckDefinition[];
}
