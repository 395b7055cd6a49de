// The cluster's shape, read once before a run: what checks may assume (how many
// nodes and schedulable workers, taints, CNI, CRI, proxy mode, NetworkPolicy).
import type { Kube } from '../kube/client.ts';
import type { KubeObject } from '../kube/types.ts';
import { detectCni, roleOf, runtimeOf } from './node-facts.ts';
import { CNI_AGENT_NAMESPACES } from './cni/table.ts';
import type { NodeObject, PodObject } from '../kube/objects.ts';
import { blockedWithoutLeftovers, findLeftovers, type Leftover } from './leftovers.ts';
import { LABEL_RUN } from '../plan/ids.ts';

export interface ClusterShape {
  nodes: number;
  controlPlanes: number;
  workers: number;
  /** Workers a plain pod can land on: not cordoned, no NoSchedule/NoExecute taint. */
  schedulableWorkers: number;
  /** Nodes a pod tolerating the control-plane taint can land on. */
  schedulableNodes: number;
  taints: string[];
  cni: string;
  cri: string;
  proxyMode: string;
  /**
   * Whether NetworkPolicy is enforced, as measured by a networkPolicy check of this
   * run; 'not measured' until one ran. Never judged from the CNI's name.
   */
  networkPolicy: NetworkPolicyEnforcement;
  /** Marks of earlier kconform runs (cordons, taints, labels, namespaces), each with its run id. */
  leftovers: Leftover[];
  /** Schedulable workers once those marks are removed: tells "blocked by leftovers" from "too small". */
  schedulableWorkersWithoutLeftovers: number;
}

export type NetworkPolicyEnforcement = 'enforced' | 'not enforced' | 'not measured';
const CONTROL_PLANE_TAINTS = new Set(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);

export function shapeOf(nodes: NodeObject[], systemPods: PodObject[], proxyConfig: string | undefined, namespaces: KubeObject[] = []): ClusterShape {
  const blocking = (n: NodeObject, ignoreControlPlane: boolean) =>
    !!n.spec?.unschedulable ||
    (n.spec?.taints ?? []).some((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !(ignoreControlPlane && CONTROL_PLANE_TAINTS.has(t.key)));
  const ready = (n: NodeObject) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const workers = nodes.filter((n) => roleOf(n) === 'worker');
  const cni = detectCni(systemPods) ?? 'none';
  const mode = /^\s*mode:\s*"?([a-z]*)"?\s*$/m.exec(proxyConfig ?? '')?.[1];
  return {
    nodes: nodes.length,
    controlPlanes: nodes.length - workers.length,
    workers: workers.length,
    schedulableWorkers: workers.filter((n) => ready(n) && !blocking(n, false)).length,
    schedulableNodes: nodes.filter((n) => ready(n) && !blocking(n, true)).length,
    taints: nodes.flatMap((n) => (n.spec?.taints ?? []).map((t) => `${n.metadata.name}: ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)),
    cni,
    cri: [...new Set(nodes.map(runtimeOf))].join(',') || 'unknown',
    // kube-proxy's default mode on Linux is iptables when the config leaves it empty.
    proxyMode: proxyConfig === undefined ? (systemPods.some((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy') ? 'iptables' : 'none') : mode || 'iptables',
    networkPolicy: 'not measured',
    leftovers: findLeftovers(nodes, namespaces),
    schedulableWorkersWithoutLeftovers: workers.filter((n) => ready(n) && !blockedWithoutLeftovers(n, () => false)).length,
  };
}

export async function readShape(kube: Kube): Promise<ClusterShape> {
  const [nodes, agents, proxyCm, namespaces] = await Promise.all([
    kube.list<NodeObject>('v1', 'Node'),
    listAgentPods(kube),
    kube.get<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap', name: 'kube-proxy', namespace: 'kube-system' }).catch(() => undefined),
    // A grader's account may not list namespaces: node marks are still read.
    kube.list<KubeObject>('v1', 'Namespace', { labelSelector: LABEL_RUN }).catch(() => [] as KubeObject[]),
  ]);
  return shapeOf(nodes, agents, proxyCm?.data?.['config.conf'], namespaces);
}

/** Pods of kube-system and of every CNI's agent namespace (CNI table); a namespace that cannot be read counts as empty. */
export async function listAgentPods(kube: Kube): Promise<PodObject[]> {
  const namespaces = [...new Set(['kube-system', ...CNI_AGENT_NAMESPACES, 'calico-system'])];
  return (await Promise.all(namespaces.map((namespace) => kube.list<PodObject>('v1', 'Pod', { namespace }).catch(() => [] as PodObject[])))).flat();
}

/** Why a check with these needs cannot run on this shape, or undefined. */
export function unmetNeed(needs: { minNodes?: number; minSchedulableWorkers?: number; features?: string[] }, shape: ClusterShape, what: string): string | undefined {
  if (needs.minNodes !== undefined && shape.nodes < needs.minNodes) {
    return `${what} needs ${needs.minNodes} nodes; this cluster has ${shape.nodes}`;
  }
  if (needs.minSchedulableWorkers !== undefined && shape.schedulableWorkers < needs.minSchedulableWorkers) {
    return `${what} needs ${needs.minSchedulableWorkers} schedulable worker${needs.minSchedulableWorkers === 1 ? '' : 's'}; this cluster has ${shape.schedulableWorkers}`;
  }
  for (const f of needs.features ?? []) {
    if (f === 'networkPolicy' && shape.networkPolicy === 'not enforced') return `${what} needs NetworkPolicy enforcement; it was measured not enforced on this cluster (CNI ${shape.cni})`;
    if (f === 'iptablesProxy' && shape.proxyMode !== 'iptables') return `${what} needs kube-proxy in iptables mode; this cluster runs ${shape.proxyMode}`;
  }
  return undefined;
}
