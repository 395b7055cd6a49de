import { z } from 'zod';
import { Duration, Wait, commonCheckFields } from '../../suite/common.ts';
import { IntOrPercent } from '../rollout/spec.ts';

export const PdbPolicy = z
  .union([
    z.strictObject({ minAvailable: IntOrPercent.describe('PodDisruptionBudget minAvailable.') }),
    z.strictObject({ maxUnavailable: IntOrPercent.describe('PodDisruptionBudget maxUnavailable.') }),
  ])
  .describe('The PodDisruptionBudget over the probe pods: exactly one of minAvailable or maxUnavailable.');

export const EvictionSpec = z
  .strictObject({
    kind: z.literal('eviction'),
    ...commonCheckFields,
    mode: z
      .enum(['api', 'drain', 'taint'])
      .describe('api: the Eviction API against a PodDisruptionBudget (429 when it would break it); drain: cordon a worker and evict this check\'s pods on it; taint: a NoExecute taint with and without tolerations. drain and taint change nodes (skipped in read-only mode).'),
    replicas: z.int().min(2).max(10).optional().describe('Replicas of the probe Deployment in api and drain modes (default 3).'),
    pdb: PdbPolicy.optional().describe('The PodDisruptionBudget (default maxUnavailable: 1).'),
    node: z.string().min(1).optional().describe('Worker to drain or taint (default: drain picks the worker holding most probe pods, taint the first schedulable worker by name).'),
    drainTimeout: Duration.optional().describe('How long a drain retries evictions a budget refuses (kubectl drain --timeout; default 60s).'),
    traffic: z.boolean().optional().describe('Drain mode: steady traffic through the Service during the drain, which must lose no request (default true).'),
    maxFailedRequests: z.int().min(0).max(1_000_000).optional().describe('Requests that may fail during the drain (default 0).'),
    requestsPerSecond: z.int().min(1).max(50).optional().describe('Rate of the traffic (default 10).'),
    requestTimeout: Duration.optional().describe('How long a request of the drain traffic may take to connect (default 1s; a stale endpoint never connects). A connected request waits 4 s more for its answer: a late answer is reported, not lost.'),
    tolerationSeconds: z.int().min(1).max(300).optional().describe('Taint mode: tolerationSeconds of the pod that tolerates the taint for a while (default 5).'),
    tolerance: Wait.optional().describe('Taint mode: how far a measured eviction time may be from the expected one (default 3s).'),
    readyTimeout: Duration.optional().describe('How long the probe pods may take to be Ready (default 60s).'),
  })
  .describe('Evictions honour PodDisruptionBudgets (429 when one would break), a drain moves pods off a cordoned worker, a NoExecute taint evicts pods by their tolerations; nodes are always restored.');
export type EvictionSpec = z.infer<typeof EvictionSpec>;
