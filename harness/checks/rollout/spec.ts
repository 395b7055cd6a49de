import { z } from 'zod';
import { Duration, Wait, commonCheckFields } from '../../suite/common.ts';

/** An IntOrString of the Deployment API: a count, or a percentage of replicas. */
export const IntOrPercent = z.union([z.int().min(0).max(10_000), z.string().regex(/^\d{1,3}%$/, { error: 'expected a count like 1 or a percentage like "25%"' })], {
  error: 'expected a count like 1 or a percentage like "25%"',
});

export const RolloutSpec = z
  .strictObject({
    kind: z.literal('rollout'),
    ...commonCheckFields,
    replicas: z.int().min(1).max(10).optional().describe('Replicas of the probe Deployment (default 3).'),
    maxSurge: IntOrPercent.optional().describe('RollingUpdate maxSurge: pods allowed above replicas during an update (default "25%", rounded up, as Kubernetes does).'),
    maxUnavailable: IntOrPercent.optional().describe('RollingUpdate maxUnavailable: pods allowed below replicas during an update (default "25%", rounded down).'),
    maxFailedRequests: z.int().min(0).max(1_000_000).optional().describe('Requests through the Service that may fail during the whole check (default 0).'),
    requestsPerSecond: z.int().min(1).max(50).optional().describe('Rate of the steady in-cluster traffic through the Service (default 10).'),
    requestTimeout: Duration.optional().describe('How long a request may take to connect (default 1s; a stale endpoint never connects). A connected request waits 4 s more for its answer: a late answer is reported, not lost.'),
    rolloutTimeout: Duration.optional().describe('Deadline of each rollout (update, rollback) to complete (default 60s).'),
    readyTimeout: Duration.optional().describe('How long v1 may take to be available and serving (default 60s).'),
    readiness: z
      .enum(['http', 'always'])
      .optional()
      .describe('Readiness probe of the probe pods: "http" asks the server (default); "always" is a probe that lies (Ready before the server listens).'),
    startDelay: Wait.optional().describe('How long the server waits after the container starts before it listens (default 0s); with readiness "always" this opens a window of failed requests.'),
    rollback: z.boolean().optional().describe('After the update, roll back to the previous revision as `kubectl rollout undo` does and prove v1 serves again (default true).'),
    toRevision: z.int().min(1).max(1_000_000).optional().describe('Then roll back to this named revision, as `kubectl rollout undo --to-revision` (e.g. 2 = v2 again).'),
    stuck: z
      .boolean()
      .optional()
      .describe('Also roll out a version that never becomes Ready: it must be reported as ProgressDeadlineExceeded, and a rollback must recover (default false).'),
    updateImage: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('Image of v2 (default: the probe image). An image that cannot be pulled makes the update fail, and the first new pod names the cause (image, pod, reason).'),
    rollbackIfBroken: z
      .boolean()
      .optional()
      .describe('When the update cannot complete, roll back as `kubectl rollout undo` does and verify that v1 serves again (default false).'),
    progressDeadline: Duration.optional().describe('progressDeadlineSeconds of the stuck rollout (default 10s).'),
  })
  .describe('A rolling update under steady traffic: no failed request, maxSurge/maxUnavailable never broken (watched), every pod on the new version, revision advanced; rollback (previous and named revision) and a stuck rollout reported as ProgressDeadlineExceeded.');
export type RolloutSpec = z.infer<typeof RolloutSpec>;
