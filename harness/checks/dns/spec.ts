import { z } from 'zod';
import { Duration, Wait, commonCheckFields } from '../../suite/common.ts';

export const DnsSpec = z
  .strictObject({
    kind: z.literal('dns'),
    ...commonCheckFields,
    clusterDomain: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'expected a domain like cluster.local' })
      .optional()
      .describe('The cluster DNS domain (default cluster.local).'),
    nameserver: z.string().optional().describe("Expected nameserver in pods' resolv.conf (default: the ClusterIP of Service kube-dns in kube-system)."),
    headlessReplicas: z.int().min(1).max(10).optional().describe('Ready pods behind the headless Service (default 2).'),
    crossNamespace: z.boolean().optional().describe('Also resolve kubernetes.default from the suite namespace (default true).'),
    queryTimeout: Duration.optional().describe('Time limit of one DNS query try (dig +time; default 2s, 2 tries).'),
    settle: Wait.optional().describe('How long a wrong answer may take to be corrected before it counts (default 10s).'),
  })
  .describe('Cluster DNS: Service names in every form, headless Services, SRV for named ports, resolv.conf, NXDOMAIN; only in-cluster names.');
export type DnsSpec = z.infer<typeof DnsSpec>;
