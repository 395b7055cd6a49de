import type { KubeObject } from '../../kube/types.ts';

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
    }[];
  };
}
