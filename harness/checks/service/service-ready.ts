// Waiting (watched: pods and EndpointSlices together) until a Deployment's
// pods are all Ready and its Service lists exactly them; on timeout, a reason
// that names the pods that are not Ready or what the slices get wrong.
import type { KubeObject } from '../../kube/types.ts';
import type { CheckContext } from '../types.ts';
import { podState, type PodObject } from '../../kube/objects.ts';
import { settle, type Source } from '../../kube/settle.ts';
import { selectorText } from '../common/label-near-miss.ts';
import { secs } from '../common/timing-words.ts';
import { compareEndpoints, podView, type EndpointComparison, type SliceObject } from './endpoint-sets.ts';

export interface ServiceState {
  cmp: EndpointComparison;
  /** Pods under the selector, terminating ones included. */
  pods: PodObject[];
  slices: SliceObject[];
}

export interface ServiceTarget {
  service: string;
  namespace: string;
  selector: Record<string, string>;
}

/** Pods (by the selector) and the Service's EndpointSlices, as settle() sources. */
export function serviceSources(t: ServiceTarget, allPods = false): Source[] {
  return [
    { apiVersion: 'v1', kind: 'Pod', sel: { namespace: t.namespace, ...(allPods ? {} : { labelSelector: selectorText(t.selector) }) } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', sel: { namespace: t.namespace, labelSelector: `kubernetes.io/service-name=${t.service}` } },
  ];
}

export function serviceState(sets: KubeObject[][], t: ServiceTarget): ServiceState {
  const pods = (sets[0] ?? []) as PodObject[];
  const slices = (sets[1] ?? []) as unknown as SliceObject[];
  return { pods, slices, cmp: compareEndpoints({ ...t, pods: pods.map(podView), slices }) };
}

/** "web-1: Pending: 0/3 nodes are available...; web-2: Running, not Ready". */
export function notReadyWords(pods: PodObject[], names?: string[]): string {
  return pods
    .filter((p) => (!names || names.includes(p.metadata.name ?? '')) && !p.metadata.deletionTimestamp && !podView(p).ready)
    .map((p) => `${p.metadata.name}: ${podState(p)}`)
    .join('; ');
}

/** Exactly `replicas` Ready pods (none terminating) and the slices listing exactly them. */
export function settledAt(s: ServiceState, replicas: number): boolean {
  const live = s.pods.filter((p) => !p.metadata.deletionTimestamp);
  return s.cmp.ok && s.cmp.expected.length === replicas && live.length === replicas;
}

export interface ServiceReady {
  held: boolean;
  waitedMs: number;
  state: ServiceState;
  /** Why it did not settle, when it did not. */
  reason?: string;
}

export async function waitServiceReady(ctx: CheckContext, t: ServiceTarget & { deployment: string; replicas: number; timeoutMs: number }): Promise<ServiceReady> {
  const r = await settle(
    ctx.kube,
    serviceSources(t),
    (sets) => {
      const s = serviceState(sets, t);
      return { ok: settledAt(s, t.replicas), verdict: s };
    },
    { timeoutMs: Math.max(1_000, t.timeoutMs), signal: ctx.signal },
  );
  const out: ServiceReady = { held: r.held, waitedMs: r.waitedMs, state: r.verdict };
  if (!r.held) out.reason = notSettledReason(r.verdict, t.replicas, t.deployment, t.service, r.waitedMs);
  return out;
}

export function notSettledReason(s: ServiceState, replicas: number, deployment: string, service: string, waitedMs: number): string {
  const ready = s.cmp.expected.length;
  if (ready < replicas) return `${ready}/${replicas} pods of Deployment ${deployment} Ready after ${secs(waitedMs)}: ${notReadyWords(s.pods) || 'pods not created'}`;
  const live = s.pods.filter((p) => !p.metadata.deletionTimestamp).length;
  if (live > replicas) return `Deployment ${deployment} has ${live} pods after ${secs(waitedMs)}, expected ${replicas}`;
  return `the EndpointSlices of Service ${service} do not follow the pods after ${secs(waitedMs)}: ${s.cmp.problems.join('; ')}`;
}
