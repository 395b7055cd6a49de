// What the reports say about the cluster, and its shape: read once before the run.
import type { Kube } from '../kube/client.ts';
import type { ClusterInfo } from '../results/model.ts';
import type { KubeObject } from '../kube/types.ts';
import { detectCni, runtimeOf } from './node-facts.ts';
import type { NodeObject } from '../kube/objects.ts';
import { listAgentPods, readShape, type ClusterShape } from './shape.ts';

export interface ClusterFacts {
  info: ClusterInfo;
  shape: ClusterShape;
}

export async function readClusterFacts(kube: Kube, provider: string, name: string): Promise<ClusterFacts> {
  const [version, nodes, pods, ns] = await Promise.all([
    kube.serverVersion(),
    kube.list<NodeObject>('v1', 'Node'),
    // Some CNIs run outside kube-system (flannel: kube-flannel, kube-router: kube-router).
    listAgentPods(kube),
    kube.get<KubeObject>({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' }).catch(() => undefined),
  ]);
  const runtimes = [...new Set(nodes.map(runtimeOf))].filter(Boolean);
  const uid = ns?.metadata.uid;
  const shape = await readShape(kube);
  const info: ClusterInfo = {
    name,
    provider,
    kubernetesVersion: version,
    nodes: nodes.length,
    cni: detectCni(pods) ?? 'none',
    cri: runtimes.join(',') || 'unknown',
    ...(uid ? { uid } : {}),
    // Reports keep the shape as plain data; the run uses the typed `shape` beside it.
    shape: { ...shape },
  };
  return { info, shape };
}
