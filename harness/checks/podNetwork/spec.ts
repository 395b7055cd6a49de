import { z } from 'zod';
import { Duration, commonCheckFields } from '../../suite/common.ts';

export const PodNetworkSpec = z
  .strictObject({
    kind: z.literal('podNetwork'),
    ...commonCheckFields,
    hostNetwork: z.boolean().optional().describe('Also probe from a hostNetwork client on every node (host -> pod rows; default true).'),
    includeControlPlane: z.boolean().optional().describe('Tolerate the control-plane taint so control-plane nodes take part (default true).'),
    minNodes: z.int().min(1).max(5_000).optional().describe('Fail when fewer nodes can take part (Ready, not cordoned, no untolerated taint).'),
    tries: z.int().min(1).max(10).optional().describe('Tries per pair before a cell fails (default 3).'),
    requestTimeout: Duration.optional().describe('Time limit of one request (curl --max-time; default 2s).'),
    routing: z.enum(['vxlan', 'host-gw', 'bgp', 'routes', 'overlay']).optional().describe('Expected routing mode between nodes, judged from each node\'s routes and links (and BGP sessions for bgp); the evidence is shown either way (needs hostNetwork).'),
    readyTimeout: Duration.optional().describe('How long the probe pods may take to become Ready (default: the time left minus what the probes need).'),
  })
  .describe('Pod-to-pod reachability across every pair of nodes (N x N) without NAT, and node (hostNetwork) to pod.');
export type PodNetworkSpec = z.infer<typeof PodNetworkSpec>;
