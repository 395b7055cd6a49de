// Every check kind, in one list. A kind is a folder, harness/checks/<kind>/: spec.ts (the
// zod schema of its suite entry), check.ts (its run), its evaluation and its tests. The
// suite's union of specs, the kind names and the registry of runs are derived from this
// list, so a new kind is its folder plus one entry here (and the import of its spec).
// The run is loaded lazily (registry.ts): this file sits below the suite loader, which
// must not load run code. A missing or mismatched piece does not compile (kinds.test.ts).
import { defineKinds, kind, kindNames, specUnion, type SpecOf, type SpecUnion } from './kind-list.ts';
import { NodesSpec } from './nodes/spec.ts';
import { PodNetworkSpec } from './podNetwork/spec.ts';
import { ServiceDistributionSpec } from './serviceDistribution/spec.ts';
import { DnsSpec } from './dns/spec.ts';
import { AssertSpec } from './assert/spec.ts';
import { ExecSpec } from './exec/spec.ts';
import { HttpSpec } from './http/spec.ts';
import { ServiceSpec } from './service/spec.ts';
import { WorkloadSpec } from './workload/spec.ts';
import { SchedulingSpec } from './scheduling/spec.ts';
import { RolloutSpec } from './rollout/spec.ts';
import { EvictionSpec } from './eviction/spec.ts';
import { NetworkPolicyCheckSpec, policyFiles } from './networkPolicy/spec.ts';

/** Kind -> spec, area, lazy run. The order is the suite schema's (and `kconform schema`'s). */
export const KINDS = defineKinds({
  nodes: kind(NodesSpec, 'nodes', async () => (await import('./nodes/check.ts')).nodesCheck),
  podNetwork: kind(PodNetworkSpec, 'network', async () => (await import('./podNetwork/check.ts')).podNetworkCheck),
  serviceDistribution: kind(ServiceDistributionSpec, 'network', async () => (await import('./serviceDistribution/check.ts')).serviceDistributionCheck),
  dns: kind(DnsSpec, 'network', async () => (await import('./dns/check.ts')).dnsCheck),
  assert: kind(AssertSpec, 'objects', async () => (await import('./assert/check.ts')).assertCheck),
  exec: kind(ExecSpec, 'objects', async () => (await import('./exec/check.ts')).execCheck),
  http: kind(HttpSpec, 'network', async () => (await import('./http/check.ts')).httpCheck),
  service: kind(ServiceSpec, 'network', async () => (await import('./service/check.ts')).serviceCheck),
  workload: kind(WorkloadSpec, 'lifecycle', async () => (await import('./workload/check.ts')).workloadCheck),
  scheduling: kind(SchedulingSpec, 'scheduling', async () => (await import('./scheduling/check.ts')).schedulingCheck),
  rollout: kind(RolloutSpec, 'lifecycle', async () => (await import('./rollout/check.ts')).rolloutCheck),
  eviction: kind(EvictionSpec, 'lifecycle', async () => (await import('./eviction/check.ts')).evictionCheck),
  networkPolicy: kind(NetworkPolicyCheckSpec, 'network', async () => (await import('./networkPolicy/check.ts')).networkPolicyCheck, { files: policyFiles }),
});

export type CheckKind = keyof typeof KINDS;
/** The spec of one check, any kind. */
export const CheckSpec = specUnion(KINDS);
export type CheckSpec = SpecUnion<typeof KINDS>;
/** The spec of kind K. */
export type CheckSpecOf<K extends CheckKind> = SpecOf<typeof KINDS, K>;
export const CHECK_KINDS: readonly CheckKind[] = kindNames(KINDS);
