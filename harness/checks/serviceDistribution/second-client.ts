// Blame the right side for a failed distribution: the same requests, fewer, from
// a client on another node. If there every endpoint answers, the fault is on the
// first client's node (its kube-proxy rules, traffic dropped there), not on the
// endpoint that looked silent. Run only when the measurement failed.
import type { CheckContext } from '../types.ts';
import type { NodeObject, PodObject } from '../../kube/objects.ts';
import { clientPod, probeLabels, LABEL_CHECK } from '../common/probe-manifests.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import type { Tally } from './answers.ts';

export interface SecondOpinion {
  firstNode: string;
  secondNode: string;
  /** What the first client saw (the measurement). */
  first: Tally;
  second: Tally;
}

/** Pure: the sentence, when the two clients disagree in a way that names a side. */
export function blameWords(o: SecondOpinion, endpoints: string[]): string | undefined {
  const answeredAll = (t: Tally) => endpoints.every((e) => (t.counts.get(e) ?? 0) > 0) && t.failed.size === 0 && t.invalid.size === 0;
  // Only a client-shaped failure can be the client's node: an endpoint it never reached, or most requests lost.
  const firstFailed = [...o.first.failed.values()].reduce((a, b) => a + b, 0);
  const clientShaped = endpoints.some((e) => (o.first.counts.get(e) ?? 0) === 0) || firstFailed * 2 >= Math.max(1, o.first.made);
  if (!clientShaped) return undefined;
  if (!answeredAll(o.second)) {
    const silent = endpoints.filter((e) => (o.second.counts.get(e) ?? 0) === 0);
    return silent.length
      ? `from node ${o.secondNode} too, ${silent.join(', ')} answered 0/${o.second.made}: the fault is on the endpoint side, not on node ${o.firstNode}`
      : undefined;
  }
  return `from node ${o.secondNode} all ${endpoints.length} endpoints answer (${endpoints.map((e) => `${e} ${o.second.counts.get(e)}`).join(', ')} of ${o.second.made}): the fault is on node ${o.firstNode}, the first client's node (its kube-proxy rules are missing or traffic is dropped there)`;
}

/** A node other than `first` a client can run on (Ready; cordons and NoSchedule taints avoided unless nothing else). */
export function otherNode(nodes: NodeObject[], first: string): string | undefined {
  const ready = (n: NodeObject) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const free = (n: NodeObject) => !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t) => t.effect !== 'PreferNoSchedule' && !t.key.startsWith('node-role.kubernetes.io/'));
  const candidates = nodes.filter((n) => n.metadata.name !== first && ready(n) && free(n)).map((n) => n.metadata.name ?? '').sort();
  return candidates[0];
}

/** Starts the second client on another node; undefined when there is none or it does not come up. */
export async function secondClient(ctx: CheckContext, base: string, firstClient: string): Promise<{ pod: string; node: string; firstNode: string } | undefined> {
  const first = await ctx.kube.get<PodObject>({ apiVersion: 'v1', kind: 'Pod', name: firstClient, namespace: ctx.namespace }, { signal: ctx.signal });
  const firstNode = first?.spec?.nodeName;
  if (!firstNode) return undefined;
  const node = otherNode(await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }), firstNode);
  if (!node || ctx.remainingMs() < 20_000) return undefined;
  const pod = `${firstClient}-b`;
  await createTracked(ctx, clientPod({ name: pod, namespace: ctx.namespace, image: ctx.images.agnhost, labels: probeLabels(base, 'client'), node, tolerateControlPlane: true }));
  const ready = await waitPodsReady(ctx, [pod], `${LABEL_CHECK}=${base}`, Math.min(30_000, ctx.remainingMs() - 15_000));
  return ready.notReady.length ? undefined : { pod, node, firstNode };
}
