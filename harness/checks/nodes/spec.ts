import { z } from 'zod';
import { Wait, commonCheckFields } from '../../suite/common.ts';
import { CNI_NAMES } from '../../suite/cni-data.ts';

export const NodesSpec = z
  .strictObject({
    kind: z.literal('nodes'),
    ...commonCheckFields,
    count: z.int().min(1).max(5_000).optional().describe('Expected number of nodes.'),
    controlPlanes: z.int().min(0).max(5_000).optional().describe('Expected number of control-plane nodes.'),
    workers: z.int().min(0).max(5_000).optional().describe('Expected number of worker nodes.'),
    runtime: z.enum(['containerd', 'docker', 'cri-o']).optional().describe('Expected container runtime (nodeInfo.containerRuntimeVersion prefix).'),
    kubeletVersion: z.string().optional().describe('Expected kubelet version prefix, e.g. v1.37.'),
    cni: z.enum(['any', ...CNI_NAMES] as [string, ...string[]]).optional().describe('CNI whose pods must run on every node; any = whichever is found.'),
    systemPods: z.boolean().optional().describe('Also require CoreDNS and kube-proxy healthy (default true).'),
    settle: Wait.optional().describe('How long an unhealthy state may take to clear before the check fails (default 30s).'),
  })
  .describe('Node count and roles, readiness and conditions, kubelet and runtime versions, CNI, CoreDNS and kube-proxy health.');
export type NodesSpec = z.infer<typeof NodesSpec>;
