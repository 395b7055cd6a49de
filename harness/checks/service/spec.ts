// The `service` check kind: one graded behaviour of a Service per entry, chosen
// by `mode` (a union on mode, so each mode only accepts its own settings and
// editors complete them).
import { z } from 'zod';
import { Duration, Wait, commonCheckFields } from '../../suite/common.ts';

/** A DNS-1035 label: what a Service or port name must be. */
const ServiceName = z
  .string({ error: 'expected a Service name' })
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a Service name: lowercase letters, digits and dashes, starting with a letter' })
  .max(63);

const NamespaceName = z
  .string({ error: 'expected a namespace name' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a namespace name (a DNS label)' })
  .max(63);

const PortName = z
  .string({ error: 'expected a port name' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a port name: lowercase letters, digits and dashes' })
  .max(15, { error: 'expected a port name of at most 15 characters (an IANA service name)' });

const Port = z.int().min(1).max(65535);

const base = {
  kind: z.literal('service'),
  ...commonCheckFields,
};

export const ServiceEndpointsSpec = z
  .strictObject({
    ...base,
    mode: z.literal('endpoints').describe('The EndpointSlices hold exactly the Ready pods the selector matches, and follow readiness.'),
    service: ServiceName.optional().describe('Judge this existing Service instead of creating one (no readiness flip then).'),
    namespace: NamespaceName.optional().describe('Namespace of `service` (default: the suite namespace).'),
    replicas: z.int().min(1).max(10).optional().describe("Pods behind the check's own Service (default 3)."),
    minReady: z.int().min(1).max(1000).optional().describe('With service: at least this many matching pods must be Ready (and listed).'),
    readinessFlip: z.boolean().optional().describe("Make one pod's readiness probe fail, then pass again, and watch its endpoint leave and come back (default true; own Service only)."),
    probePeriod: Duration.optional().describe('periodSeconds of the readiness probe, whole seconds (default 1s).'),
    maxLag: Wait.optional().describe('Time the endpoint may take beyond one probe period to leave or come back (default 5s).'),
    settle: Wait.optional().describe('How long the EndpointSlices may take to agree with the pods before the check fails (default 30s).'),
  })
  .describe('EndpointSlices vs Ready pods of the selector; a readiness flip watched, with times; a selector that matches nothing named with near misses.');

export const ServicePortsSpec = z
  .strictObject({
    ...base,
    mode: z.literal('ports').describe('A multi-port Service with named target ports answers on every port.'),
    ports: z
      .array(
        z.strictObject({
          name: PortName.describe('Service port name; also the name of the container port it targets.'),
          port: Port.describe('Service port.'),
          targetPort: Port.describe('Container port a netexec server listens on.'),
        }),
      )
      .min(1)
      .max(6)
      .optional()
      .describe('Service ports (default: http 80->8080, rpc 6800->6800, peer 6880->6880), each served by its own netexec container.'),
    settle: Wait.optional().describe('How long a port may take to answer (kube-proxy programming) before it fails (default 15s).'),
    requestTimeout: Duration.optional().describe('Time limit of one request (default 2s).'),
  })
  .describe('A multi-port Service with named targetPorts answers on each port, echoing the nonce from the right target port.');

export const ServiceNodePortSpec = z
  .strictObject({
    ...base,
    mode: z.literal('nodePort').describe("The Service answers on every node's InternalIP at its nodePort."),
    replicas: z.int().min(1).max(10).optional().describe('Pods behind the Service (default 2).'),
    nodePort: z.int().min(1).max(65535).optional().describe('A fixed nodePort (default: the one the API server assigns).'),
    from: z.enum(['pod', 'host']).optional().describe('Where the requests come from: a client pod, or a hostNetwork pod (default pod).'),
    settle: Wait.optional().describe('How long a node may take to answer (kube-proxy programming) before it fails (default 10s).'),
    requestTimeout: Duration.optional().describe('Time limit of one request (default 2s).'),
  })
  .describe("A NodePort Service answers on every node's InternalIP at its nodePort; failing nodes are named.");

export const ServiceProxyRulesSpec = z
  .strictObject({
    ...base,
    mode: z.literal('proxyRules').describe("kube-proxy's mode on every node and, in iptables mode, the Service's KUBE-SVC chain read from each node."),
    service: ServiceName.optional().describe('Read the rules of this existing Service instead of creating one (port: its first).'),
    namespace: NamespaceName.optional().describe('Namespace of `service` (default: the suite namespace).'),
    replicas: z.int().min(1).max(10).optional().describe("Endpoints K behind the check's own Service (default 3)."),
    requests: z.int().min(0).max(3000).optional().describe("New connections sent to the ClusterIP, counted per endpoint next to the rules (own Service only; default 0)."),
    settle: Wait.optional().describe('How long the rules may take to list every endpoint (default 20s).'),
    requestTimeout: Duration.optional().describe('Time limit of one request (default 2s).'),
  })
  .refine((s) => !(s.service && s.requests), { error: 'requests needs the check\'s own Service (its netexec pods echo the nonce): leave out service or requests', path: ['requests'] })
  .describe('kube-proxy mode per node; the KUBE-SVC probabilities 1/K, 1/(K-1), ..., then unconditional, read with iptables-save on each node (privileged pod; not in read-only mode).');

export const ServiceSpec = z.discriminatedUnion('mode', [ServiceEndpointsSpec, ServicePortsSpec, ServiceNodePortSpec, ServiceProxyRulesSpec], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected mode to be one of: endpoints, ports, nodePort, proxyRules' : undefined),
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;
export type ServiceEndpointsSpec = z.infer<typeof ServiceEndpointsSpec>;
export type ServicePortsSpec = z.infer<typeof ServicePortsSpec>;
export type ServiceNodePortSpec = z.infer<typeof ServiceNodePortSpec>;
export type ServiceProxyRulesSpec = z.infer<typeof ServiceProxyRulesSpec>;
