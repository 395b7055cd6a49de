// The `workload` check kind: the classic Deployment and Pod exercises, one per
// entry, chosen by `mode`.
import { z } from 'zod';
import { Duration, commonCheckFields } from '../../suite/common.ts';

const base = {
  kind: z.literal('workload'),
  ...commonCheckFields,
};

export const WorkloadSelfHealingSpec = z
  .strictObject({
    ...base,
    mode: z.literal('selfHealing').describe('Deleting a pod of a Deployment yields a Ready replacement; the count is kept; the old IP leaves the endpoints.'),
    replicas: z.int().min(1).max(10).optional().describe('Replicas of the Deployment (default 3).'),
    within: Duration.optional().describe('Time the replacement has to be Ready and listed by the Service (default 60s).'),
  })
  .describe('Self-healing: a deleted pod of a Deployment is replaced by a Ready pod within the deadline, watched.');

export const WorkloadScalingSpec = z
  .strictObject({
    ...base,
    mode: z.literal('scaling').describe('Scaling a Deployment through the steps: Ready pods and endpoints follow each step.'),
    steps: z
      .array(z.int().min(0).max(20))
      .min(2, { error: 'expected at least two steps: the start and one change, e.g. [3, 5, 2]' })
      .max(8)
      .optional()
      .describe('Replica counts in order; the first is the start (default [3, 5, 2]).'),
    stepTimeout: Duration.optional().describe('Time each step has to converge (default 60s).'),
  })
  .describe('Scaling: Ready pods, the ReplicaSet and the Service endpoints follow each step (watched, timed).');

export const WorkloadMultiContainerSpec = z
  .strictObject({
    ...base,
    mode: z.literal('multiContainer').describe('Two containers of one pod share the network namespace and a volume.'),
    readyTimeout: Duration.optional().describe('Time the pod has to be Ready (default 60s).'),
  })
  .describe('A pod with two containers: one pod IP, localhost between them, a file written by one read by the other (with the nonce).');

export const WorkloadSpec = z.discriminatedUnion('mode', [WorkloadSelfHealingSpec, WorkloadScalingSpec, WorkloadMultiContainerSpec], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected mode to be one of: selfHealing, scaling, multiContainer' : undefined),
});
export type WorkloadSpec = z.infer<typeof WorkloadSpec>;
export type WorkloadSelfHealingSpec = z.infer<typeof WorkloadSelfHealingSpec>;
export type WorkloadScalingSpec = z.infer<typeof WorkloadScalingSpec>;
export type WorkloadMultiContainerSpec = z.infer<typeof WorkloadMultiContainerSpec>;
