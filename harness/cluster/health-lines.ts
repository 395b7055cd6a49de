// What `kconform cluster status` says beyond the counts: each problem of the
// nodes and system components (with the cause a crash-looping component's log
// names) and the marks earlier runs left. Best effort: an unreadable part is skipped.
import type { Kube } from '../kube/client.ts';
import type { NodeObject, PodObject } from '../kube/objects.ts';
import { evaluateNodes, systemComponentPods } from './nodes-evaluate.ts';
import { componentCauses } from './component-causes.ts';
import { describeLeftovers } from './leftovers.ts';
import type { ClusterShape } from './shape.ts';

const SYSTEM_NAMESPACES = ['kube-system', 'kube-flannel', 'calico-system'];

export async function healthLines(kube: Kube, shape: ClusterShape | undefined): Promise<string[]> {
  const nodes = await kube.list<NodeObject>('v1', 'Node').catch(() => [] as NodeObject[]);
  const pods = (await Promise.all(SYSTEM_NAMESPACES.map((ns) => kube.list<PodObject>('v1', 'Pod', { namespace: ns }).catch(() => [] as PodObject[])))).flat();
  const causes = await componentCauses(kube, systemComponentPods(pods));
  const v = evaluateNodes({ kind: 'nodes' }, nodes, pods, undefined, causes);
  return [...v.problems.map((p) => `problem: ${p}`), ...describeLeftovers(shape?.leftovers ?? []).map((l) => `left over: ${l}`)];
}
