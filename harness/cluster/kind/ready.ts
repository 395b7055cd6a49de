// Waits (watch-based) until every node is Ready, the CNI agent runs on each, and
// CoreDNS is available; on timeout says which of these is missing and why.
import type { Kube } from '../../kube/client.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import { settle } from '../../kube/settle.ts';
import { podReady, podState, type NodeObject, type PodObject } from '../../kube/objects.ts';
import { formatPitfalls, type CniAgent, type Pitfall } from '../cni/recipe.ts';

export interface ReadyGoal {
  nodes: number;
  cniAgent: CniAgent | undefined;
  /**
   * false for a cluster created without a CNI (--cni none): its nodes can never be
   * Ready and CoreDNS never runs, so only their registration is waited for.
   */
  network?: boolean;
  /** Wait for CoreDNS too (default); false while it is held at 0 replicas (holdCoreDns). */
  coreDns?: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  /** Run when the wait runs out: the CNI's pitfalls, so the error names the cause. */
  diagnose?: () => Promise<Pitfall[]>;
}

/** The cluster did not become ready; `pitfalls` are the known causes found on it. */
export class ClusterNotReadyError extends WaitTimeoutError {
  readonly pitfalls: Pitfall[];
  constructor(waitedMs: number, lastObserved: string, pitfalls: Pitfall[]) {
    super('cluster to be ready', waitedMs, lastObserved);
    this.pitfalls = pitfalls;
    if (pitfalls.length) this.message = `${formatPitfalls(pitfalls)}
(${this.message})`;
  }
}

export function readiness(goal: Pick<ReadyGoal, 'nodes' | 'cniAgent' | 'network' | 'coreDns'>, nodes: NodeObject[], pods: PodObject[]): { ok: boolean; verdict: string } {
  const missing: string[] = [];
  if (goal.network === false) {
    const ok = nodes.length >= goal.nodes;
    return { ok, verdict: ok ? `${nodes.length} nodes registered (no CNI: NotReady by design)` : `${nodes.length}/${goal.nodes} nodes registered` };
  }
  const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (ready.length < goal.nodes) missing.push(`${ready.length}/${goal.nodes} nodes Ready`);
  if (goal.cniAgent) {
    const [k, v] = goal.cniAgent.labelSelector.split('=');
    const agents = pods.filter((p) => p.metadata.namespace === goal.cniAgent!.namespace && p.metadata.labels?.[k ?? ''] === v);
    const up = agents.filter(podReady);
    if (up.length < goal.nodes) {
      const bad = agents.filter((p) => !podReady(p)).map((p) => `${p.metadata.name} ${podState(p)}`);
      missing.push(`CNI agents ${up.length}/${goal.nodes} Ready${bad.length ? ` (${bad.slice(0, 3).join(', ')})` : ''}`);
    }
    const mark = goal.cniAgent.nodeAnnotation;
    if (mark) {
      const marked = nodes.filter((n) => n.metadata.annotations?.[mark] !== undefined).length;
      if (marked < goal.nodes) missing.push(`${marked}/${goal.nodes} nodes annotated ${mark} by the CNI agent`);
    }
  }
  const dns = pods.filter((p) => p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'kube-dns');
  const dnsUp = dns.filter((p) => podReady(p) && !p.metadata.deletionTimestamp);
  if (goal.coreDns !== false && (dns.length === 0 || dnsUp.length === 0)) {
    missing.push(`CoreDNS not Ready${dns.length ? ` (${dns.map((p) => `${p.metadata.name} ${podState(p)}`).slice(0, 2).join(', ')})` : ''}`);
  }
  return { ok: missing.length === 0, verdict: missing.length ? missing.join('; ') : `${ready.length} nodes Ready, CNI${goal.coreDns === false ? '' : ' and CoreDNS'} running` };
}

export async function waitClusterReady(kube: Kube, goal: ReadyGoal): Promise<void> {
  const r = await settle(
    kube,
    [{ apiVersion: 'v1', kind: 'Node' }, { apiVersion: 'v1', kind: 'Pod' }],
    ([nodes, pods]) => readiness(goal, (nodes ?? []) as NodeObject[], (pods ?? []) as PodObject[]),
    { timeoutMs: goal.timeoutMs, signal: goal.signal },
  );
  if (r.held) return;
  const pitfalls = goal.diagnose ? await goal.diagnose().catch(() => []) : [];
  throw new ClusterNotReadyError(r.waitedMs, r.verdict, pitfalls);
}
