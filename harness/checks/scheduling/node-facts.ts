// Nodes as the scheduling check sees them: role, readiness, cordon, taints;
// which worker to label or taint; sentences about a control-plane taint; where
// pods landed. Pure.
import { podReady, podState, type NodeObject, type PodObject } from '../../kube/objects.ts';
import { roleOf } from '../../cluster/node-facts.ts';
import { taintText, type Taint } from './node-marks.ts';

export interface NodeFacts {
  name: string;
  role: 'control-plane' | 'worker';
  ready: boolean;
  unschedulable: boolean;
  /** NoSchedule and NoExecute taints: the ones that keep pods without a toleration off. */
  blocking: Taint[];
  labels: Record<string, string>;
}

export function nodeFacts(n: NodeObject): NodeFacts {
  return {
    name: n.metadata.name ?? '',
    role: roleOf(n),
    ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
    unschedulable: !!n.spec?.unschedulable,
    blocking: ((n.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    labels: n.metadata.labels ?? {},
  };
}

/** "control-plane node X has taint node-role.kubernetes.io/control-plane:NoSchedule; pods without a toleration will not run there". */
export function blockedSentence(n: NodeFacts): string | undefined {
  if (n.blocking.length === 0) return undefined;
  const what = n.blocking.length === 1 ? 'taint' : 'taints';
  return `${n.role === 'control-plane' ? 'control-plane node' : 'node'} ${n.name} has ${what} ${n.blocking.map(taintText).join(', ')}; pods without a toleration will not run there`;
}

function whyNot(n: NodeFacts): string | undefined {
  if (!n.ready) return `${n.role} node ${n.name} is not Ready`;
  if (n.unschedulable) return `${n.role} node ${n.name} is cordoned (unschedulable)`;
  return blockedSentence(n);
}

/**
 * The worker to label or taint: `wanted` if given (it must exist and take
 * pods), else the first worker by name that is Ready, not cordoned and has no
 * blocking taint. Without one, `why` says what each node has against it.
 */
export function pickWorker(nodes: NodeFacts[], wanted?: string): { node?: NodeFacts; why?: string } {
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
  if (wanted) {
    const n = sorted.find((x) => x.name === wanted);
    if (!n) return { why: `node ${wanted} does not exist (nodes: ${sorted.map((x) => x.name).join(', ')})` };
    const no = whyNot(n);
    return no ? { why: no } : { node: n };
  }
  const ok = sorted.find((n) => n.role === 'worker' && !whyNot(n));
  if (ok) return { node: ok };
  const reasons = sorted.map((n) => (n.role === 'worker' ? whyNot(n) : blockedSentence(n))).filter((r): r is string => !!r);
  const workers = sorted.filter((n) => n.role === 'worker').length;
  return { why: `no schedulable worker${workers === 0 ? ' (the cluster has none)' : ''}${reasons.length ? `: ${reasons.join('; ')}` : ''}` };
}

/** Other nodes a pod without tolerations can run on (for spread pods), excluding `except`. */
export function openNodes(nodes: NodeFacts[], except: string): NodeFacts[] {
  return nodes.filter((n) => n.name !== except && !whyNot(n));
}

export interface Placement {
  name: string;
  node?: string;
  ready: boolean;
  /** The scheduler's message when it could not place the pod (PodScheduled=False). */
  unschedulable?: string;
  state: string;
}

export function placements(pods: PodObject[]): Placement[] {
  return pods
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => {
      const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
      const node = (p.spec as { nodeName?: string } | undefined)?.nodeName;
      return {
        name: p.metadata.name ?? '',
        ...(node ? { node } : {}),
        ready: podReady(p),
        ...(sched?.status === 'False' ? { unschedulable: schedulerWords(sched.message ?? sched.reason ?? 'unschedulable') } : {}),
        state: podState(p),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The scheduler's message without its preemption postscript: "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 ...". */
export function schedulerWords(message: string): string {
  return message.replace(/\s+/g, ' ').replace(/\.?\s*preemption:.*$/i, '').trim();
}
