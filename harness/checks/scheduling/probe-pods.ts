// The scheduling check's probe pods (idle agnhost, Ready once running) and a
// watched wait over them. Pods carry the check's labels; the wait re-decides on
// every pod event, so a pod the scheduler refuses is seen at once.
import type { KubeObject } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext } from '../types.ts';
import type { PodObject } from '../../kube/objects.ts';
import { settle } from '../../kube/settle.ts';
import { deployment, PROBE_POD_DEFAULTS, LABEL_CHECK, spreadOverNodes } from '../common/probe-manifests.ts';
import { pinToNode } from '../common/probe-deployment.ts';
import { placements, type Placement } from './node-facts.ts';

export interface ProbePodOptions {
  name: string;
  namespace: string;
  image: string;
  labels: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  /** Required node affinity to this node (the scheduler still applies taints). */
  node?: string;
}

export function probePod(o: ProbePodOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: podSpec(o),
  };
}

/** A Deployment of idle pods spread over nodes (soft), e.g. with a nodeSelector. */
export function probeDeployment(o: Omit<ProbePodOptions, 'node'> & { replicas: number }): KubeObject {
  return deployment({
    name: o.name,
    namespace: o.namespace,
    labels: o.labels,
    replicas: o.replicas,
    template: { metadata: { labels: o.labels }, spec: { ...podSpec(o), ...spreadOverNodes(o.labels) } },
  });
}

function podSpec(o: ProbePodOptions): Record<string, unknown> {
  return {
    ...PROBE_POD_DEFAULTS,
    ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    ...(o.node ? pinToNode(o.node) : {}),
    containers: [{ name: 'agnhost', image: o.image, imagePullPolicy: 'IfNotPresent', args: ['pause'] }],
  };
}

/**
 * Watches the check's pods (by its base label) until `decide` holds on their
 * placements or the time is up; returns the last placements either way.
 */
export async function watchPlacements<V>(
  ctx: CheckContext,
  base: string,
  decide: (p: Placement[], pods: PodObject[]) => { ok: boolean; verdict: V },
  timeoutMs: number,
): Promise<{ held: boolean; waitedMs: number; verdict: V }> {
  return settle(
    ctx.kube,
    [{ apiVersion: 'v1', kind: 'Pod', sel: { namespace: ctx.namespace, labelSelector: `${LABEL_CHECK}=${base}` } }],
    ([pods]) => decide(placements((pods ?? []) as PodObject[]), (pods ?? []) as PodObject[]),
    { timeoutMs: Math.max(1_000, timeoutMs), signal: ctx.signal },
  );
}

/** Where each pod is, against the node(s) it should (or should not) be on. */
export function placementTable(title: string, p: Placement[], targets: string[]): Evidence {
  return {
    kind: 'table',
    title,
    columns: ['pod', 'node', 'on a target node', 'Ready', 'state'],
    rows: p.map((x) => [x.name, x.node ?? '(not scheduled)', x.node ? (targets.includes(x.node) ? 'yes' : 'NO') : '', x.ready ? 'yes' : 'no', x.state]),
  };
}

