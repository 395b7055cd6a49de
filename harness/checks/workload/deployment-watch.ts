// The four things a Deployment check watches together: the Deployment, its
// ReplicaSets, its pods and its Service's EndpointSlices (as settle() sources),
// and the Deployment + Service it creates for them.
import { nodeChangeTolerations } from '../common/node-change-tolerations.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { CheckContext } from '../types.ts';
import type { PodObject } from '../../kube/objects.ts';
import type { Source } from '../../kube/settle.ts';
import { LABEL_CHECK, LABEL_ROLE, PROBE_PORT, probeLabels } from '../common/probe-manifests.ts';
import { multiPortService, netexecDeployment } from '../common/probe-deployment.ts';
import { createTracked } from '../common/probe-workload.ts';
import { selectorText } from '../common/label-near-miss.ts';
import type { SliceObject } from '../service/endpoint-sets.ts';
import type { DeploymentObject, Observed, ReplicaSetObject, Scope } from './evaluate.ts';

export function deploymentSources(s: Scope): Source[] {
  const sel = selectorText(s.selector);
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', sel: { namespace: s.namespace, fieldSelector: `metadata.name=${s.deployment}` } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', sel: { namespace: s.namespace, labelSelector: sel } },
    { apiVersion: 'v1', kind: 'Pod', sel: { namespace: s.namespace, labelSelector: sel } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', sel: { namespace: s.namespace, labelSelector: `kubernetes.io/service-name=${s.service}` } },
  ];
}

export function observed(sets: KubeObject[][]): Observed {
  const [d, rs, pods, slices] = sets;
  const dep = d?.[0] as DeploymentObject | undefined;
  return {
    ...(dep ? { deployment: dep } : {}),
    replicaSets: (rs ?? []) as ReplicaSetObject[],
    pods: (pods ?? []) as PodObject[],
    slices: (slices ?? []) as unknown as SliceObject[],
  };
}

/** Creates Service <base> and Deployment <base> (netexec, spread over nodes); returns the scope to watch. */
export async function createDeployment(ctx: CheckContext, base: string, replicas: number): Promise<Scope> {
  const selector = { [LABEL_CHECK]: base, [LABEL_ROLE]: 'backend' };
  const s: Scope = { deployment: base, service: base, namespace: ctx.namespace, selector };
  await createTracked(ctx, multiPortService({ name: base, namespace: ctx.namespace, labels: probeLabels(base, 'service'), selector, ports: [{ name: 'http', port: 80, targetPort: PROBE_PORT }] }));
  await createTracked(ctx, netexecDeployment({ name: base, namespace: ctx.namespace, image: ctx.images.agnhost, replicas, labels: probeLabels(base, 'backend'), spread: true, podSpec: { tolerations: nodeChangeTolerations(ctx.runId) } }));
  return s;
}
