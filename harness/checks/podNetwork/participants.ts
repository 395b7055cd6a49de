// Which nodes take part in the pod network matrix: Ready, not cordoned, and no
// taint the probes do not tolerate. The control-plane taint is tolerated unless
// the spec says otherwise: pods do run there (CoreDNS, webhooks, the students'
// own tolerating pods), so its pod network is part of the cluster's. Pure.
import { CONTROL_PLANE_TAINTS } from '../common/probe-manifests.ts';
import { roleOf } from '../../cluster/node-facts.ts';
import type { NodeObject } from '../../kube/objects.ts';

export interface Participant {
  name: string;
  role: 'control-plane' | 'worker';
  internalIp?: string;
  podCidr?: string;
}

export interface Participation {
  nodes: Participant[];
  excluded: { name: string; reason: string }[];
}

export function chooseNodes(all: NodeObject[], opts: { includeControlPlane: boolean }): Participation {
  const nodes: Participant[] = [];
  const excluded: Participation['excluded'] = [];
  for (const n of [...all].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const name = n.metadata.name ?? '';
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    const blocking = (n.spec?.taints ?? []).filter(
      (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !(opts.includeControlPlane && CONTROL_PLANE_TAINTS.includes(t.key)),
    );
    if (ready?.status !== 'True') excluded.push({ name, reason: `not Ready (Ready=${ready?.status ?? 'unknown'})` });
    else if (n.spec?.unschedulable) excluded.push({ name, reason: 'cordoned (unschedulable)' });
    else if (blocking.length > 0) excluded.push({ name, reason: `taint ${blocking.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}` });
    else {
      const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
      nodes.push({ name, role: roleOf(n), ...(ip ? { internalIp: ip } : {}), ...(n.spec?.podCIDR ? { podCidr: n.spec.podCIDR } : {}) });
    }
  }
  return { nodes, excluded };
}
