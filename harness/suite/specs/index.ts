// Every check kind's spec schema. Adding a kind: one spec file, one line here,
// one line in harness/checks/registry.ts.
import { z } from 'zod';
import { NodesSpec } from './nodes.ts';
import { PodNetworkSpec } from './podNetwork.ts';
import { ServiceDistributionSpec } from './serviceDistribution.ts';
import { DnsSpec } from './dns.ts';
import { AssertSpec } from './assert.ts';
import { ExecSpec } from './exec.ts';
import { HttpSpec } from './http.ts';
import { ServiceSpec } from './service.ts';
import { WorkloadSpec } from './workload.ts';
import { SchedulingSpec } from './scheduling.ts';
import { RolloutSpec } from './rollout.ts';
import { EvictionSpec } from './eviction.ts';
import { NetworkPolicyCheckSpec } from './networkPolicy.ts';

export const CheckSpec = z.discriminatedUnion('kind', [NodesSpec, PodNetworkSpec, ServiceDistributionSpec, DnsSpec, AssertSpec, ExecSpec, HttpSpec, ServiceSpec, WorkloadSpec, SchedulingSpec, RolloutSpec, EvictionSpec, NetworkPolicyCheckSpec], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `expected kind to be one of: ${CHECK_KINDS.join(', ')}`
      : issue.code === 'invalid_type'
        ? 'expected a check: a map with a kind and its settings'
        : undefined,
});
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckKind = CheckSpec['kind'];
export const CHECK_KINDS: readonly string[] = ['nodes', 'podNetwork', 'serviceDistribution', 'dns', 'assert', 'exec', 'http', 'service', 'workload', 'scheduling', 'rollout', 'eviction', 'networkPolicy'];

export { NodesSpec, PodNetworkSpec, ServiceDistributionSpec, DnsSpec, AssertSpec, ExecSpec, HttpSpec, ServiceSpec, WorkloadSpec, SchedulingSpec, RolloutSpec, EvictionSpec, NetworkPolicyCheckSpec };
