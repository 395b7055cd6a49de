import type { KubeObject } from './types.ts';

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface NodeObject extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[]; podCIDR?: string };
  status?: {
    conditions?: NodeCondition[];
    nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string; kernelVersion?: string; osImage?: string };
    addresses?: { type: string; address: string }[];
  };
}

export interface PodObject extends KubeObject {
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[]; hostNetwork?: boolean };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number }; running?: unknown };
      lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string } };
    }[];
  };
}

export function podReady(p: PodObject): boolean {
  return p.status?.phase === 'Running' && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
}

/** "Running", "CrashLoopBackOff (5 restarts)", "Pending: 0/3 nodes available...". */
export function podState(p: PodObject): string {
  for (const c of p.status?.containerStatuses ?? []) {
    const w = c.state?.waiting;
    if (w?.reason) return `${w.reason}${c.restartCount ? ` (${c.restartCount} restarts)` : ''}`;
    const t = c.state?.terminated;
    if (t?.reason) return `${t.reason} (exit ${t.exitCode ?? '?'})`;
  }
  const unsched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unsched) return `Pending: ${unsched.message ?? unsched.reason ?? 'unschedulable'}`;
  if (p.status?.phase === 'Running' && !podReady(p)) return 'Running, not Ready';
  return p.status?.phase ?? 'Unknown';
}
