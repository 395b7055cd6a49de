// Where a Deployment stands, judged from what the watches last saw: its pods,
// its ReplicaSets, the Service's EndpointSlices. One judge for self-healing
// (a deleted pod replaced) and one for a scaling step. Pure.
import type { KubeObject } from '../../kube/types.ts';
import { podState, type PodObject } from '../../kube/objects.ts';
import { compareEndpoints, listedEndpoints, podView, type SliceObject } from '../service/endpoint-sets.ts';

export interface DeploymentObject extends KubeObject {
  spec?: { replicas?: number; paused?: boolean };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface ReplicaSetObject extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number };
}

export interface Observed {
  deployment?: DeploymentObject;
  replicaSets: ReplicaSetObject[];
  pods: PodObject[];
  slices: SliceObject[];
}

export interface Scope {
  deployment: string;
  service: string;
  namespace: string;
  selector: Record<string, string>;
}

interface Counts {
  /** Pods not terminating. */
  live: PodObject[];
  ready: string[];
  /** Sum over the Deployment's ReplicaSets. */
  rsSpec: number;
  rsReady: number;
  endpointsOk: boolean;
  endpointProblems: string[];
  listedReady: string[];
}

function counts(o: Observed, s: Scope): Counts {
  const live = o.pods.filter((p) => !p.metadata.deletionTimestamp);
  const uid = o.deployment?.metadata.uid;
  const owned = o.replicaSets.filter((rs) => !uid || rs.metadata.ownerReferences?.some((r) => r.uid === uid));
  const cmp = compareEndpoints({ service: s.service, namespace: s.namespace, selector: s.selector, pods: o.pods.map(podView), slices: o.slices });
  return {
    live,
    ready: live.filter((p) => podView(p).ready).map((p) => p.metadata.name ?? ''),
    rsSpec: owned.reduce((a, rs) => a + (rs.spec?.replicas ?? 0), 0),
    rsReady: owned.reduce((a, rs) => a + (rs.status?.readyReplicas ?? 0), 0),
    endpointsOk: cmp.ok || (cmp.matching.length === 0 && cmp.listedReady.length === 0),
    endpointProblems: cmp.problems,
    listedReady: cmp.listedReady,
  };
}

/** A change made behind the check's back: the Deployment gone or rescaled. */
function tampered(o: Observed, s: Scope, want: number): string | undefined {
  if (!o.deployment) return `Deployment ${s.deployment} was deleted during the check`;
  const r = o.deployment.spec?.replicas ?? 1;
  if (r !== want) return `Deployment ${s.deployment} was scaled to ${r} during the check (not by kconform; expected ${want})`;
  return undefined;
}

export interface HealingState {
  done: boolean;
  /** Set when waiting longer cannot help (the Deployment was rescaled or deleted). */
  fatal?: string;
  replacement?: { name: string; ready: boolean; state: string };
  victimListed: boolean;
  /** What is wrong right now, in words (the last one becomes the failure reason). */
  observed: string;
}

/**
 * After `victim` was deleted: a new pod (uid not in `before`) is Ready, the
 * Deployment and ReplicaSet still want `replicas` and have them Ready, and the
 * victim is no longer a ready endpoint.
 */
export function judgeHealing(o: Observed, s: Scope, x: { replicas: number; victim: string; before: string[] }): HealingState {
  const c = counts(o, s);
  const victimListed = listedEndpoints(o.slices).some((e) => e.name === x.victim && e.ready);
  const fresh = c.live.filter((p) => !x.before.includes(p.metadata.uid ?? ''));
  const readyFresh = fresh.find((p) => podView(p).ready);
  const pick = readyFresh ?? fresh[0];
  const replacement = pick ? { name: pick.metadata.name ?? '', ready: podView(pick).ready, state: podState(pick) } : undefined;
  const base = { victimListed, ...(replacement ? { replacement } : {}) };
  const fatal = tampered(o, s, x.replicas);
  if (fatal) {
    const have = `${c.ready.length} Ready pod(s), ReplicaSet wants ${c.rsSpec}`;
    return { ...base, done: true, fatal: `${fatal}: no replacement will come for pod ${x.victim} (${have})`, observed: fatal };
  }
  const problems: string[] = [];
  if (!replacement) problems.push(`no replacement pod for ${x.victim} yet`);
  else if (!replacement.ready) problems.push(`replacement ${replacement.name} not Ready (${replacement.state})`);
  if (c.rsSpec !== x.replicas) problems.push(`ReplicaSet wants ${c.rsSpec} pods, expected ${x.replicas}`);
  if (c.ready.length !== x.replicas || c.live.length !== x.replicas) problems.push(`${c.ready.length}/${x.replicas} pods Ready (${c.live.length} not terminating)`);
  else if (c.rsReady !== x.replicas) problems.push(`ReplicaSet reports ${c.rsReady}/${x.replicas} ready`);
  if (victimListed) problems.push(`deleted pod ${x.victim} still listed ready in the EndpointSlices`);
  if (!c.endpointsOk) problems.push(c.endpointProblems[0] ?? 'the EndpointSlices do not match the Ready pods');
  return { ...base, done: problems.length === 0, observed: problems.join('; ') || 'healed' };
}

export interface StepState {
  done: boolean;
  fatal?: string;
  ready: number;
  live: number;
  listed: number;
  observed: string;
}

/** A scaling step to `replicas` is done when pods, ReplicaSet and endpoints all show exactly that many Ready. */
export function judgeStep(o: Observed, s: Scope, replicas: number): StepState {
  const c = counts(o, s);
  const base = { ready: c.ready.length, live: c.live.length, listed: c.listedReady.length };
  const fatal = tampered(o, s, replicas);
  if (fatal) return { ...base, done: true, fatal, observed: fatal };
  const problems: string[] = [];
  if (c.live.length !== replicas || c.ready.length !== replicas) {
    const notReady = c.live.filter((p) => !podView(p).ready).map((p) => `${p.metadata.name}: ${podState(p)}`);
    problems.push(`${c.ready.length}/${replicas} pods Ready, ${c.live.length} not terminating${notReady.length ? ` (${notReady.slice(0, 3).join('; ')})` : ''}`);
  }
  if (c.rsSpec !== replicas) problems.push(`ReplicaSet wants ${c.rsSpec}`);
  else if (c.rsReady !== replicas) problems.push(`ReplicaSet reports ${c.rsReady} ready`);
  if (c.listedReady.length !== replicas || !c.endpointsOk) problems.push(`${c.listedReady.length} ready endpoints${c.endpointsOk ? '' : `: ${c.endpointProblems[0]}`}`);
  return { ...base, done: problems.length === 0, observed: problems.join('; ') || `${replicas} Ready, ${replicas} endpoints` };
}
