import { z } from 'zod';
import { Duration, commonCheckFields } from '../../suite/common.ts';

export const ServiceDistributionSpec = z
  .strictObject({
    kind: z.literal('serviceDistribution'),
    ...commonCheckFields,
    replicas: z.int().min(2).max(20).optional().describe('Endpoints behind the Service (default 3).'),
    requests: z.int().min(10).max(5000).optional().describe('New connections from the client, one request each (default 300).'),
    alpha: z.number().gt(0).lt(0.5).optional().describe('False-alarm rate of the uniformity test (default 0.001): each sample is judged by chi-square at sqrt(alpha), and the check fails only when a second sample confirms the first one\'s skew.'),
    sessionAffinity: z.enum(['None', 'ClientIP']).optional().describe('Service sessionAffinity; ClientIP expects every answer from one endpoint (default None).'),
    requestTimeout: Duration.optional().describe('Time limit of one request (curl --max-time; default 2s).'),
    readyTimeout: Duration.optional().describe('How long the endpoints may take to be Ready and listed by the Service (default 60s).'),
  })
  .describe('A ClusterIP Service spreads new connections over its endpoints: every endpoint answers and the counts fit uniform (chi-square).');
export type ServiceDistributionSpec = z.infer<typeof ServiceDistributionSpec>;
