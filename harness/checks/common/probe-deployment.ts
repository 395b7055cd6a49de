// Deployments of agnhost netexec servers, for checks that exercise what a
// controller does (replacement, scaling, endpoints following readiness). Pure
// builders; the pods carry the check's labels so selectors and cleanup find them.
import type { KubeObject } from '../../kube/types.ts';
import { deployment, PROBE_POD_DEFAULTS, PROBE_PORT, spreadOverNodes } from './probe-manifests.ts';

export interface NetexecDeploymentOptions {
  name: string;
  namespace: string;
  image: string;
  replicas: number;
  /** Labels of the Deployment and its pods; the Deployment selects on them all. */
  labels: Record<string, string>;
  /**
   * Readiness comes from an exec probe that fails while this file exists, so a
   * check can make one pod not Ready (touch) and Ready again (rm) with kube.exec.
   * Without it, readiness is an HTTP GET of /hostname.
   */
  unreadyFile?: string;
  /** Readiness probe period, whole seconds (default 1). */
  probePeriodSeconds?: number;
  /** Spread the pods over nodes (soft: ScheduleAnyway). */
  spread?: boolean;
  /** Merged into the pod spec (nodeSelector, tolerations, affinity). */
  podSpec?: Record<string, unknown>;
}

export function netexecDeployment(o: NetexecDeploymentOptions): KubeObject {
  const period = Math.max(1, Math.round(o.probePeriodSeconds ?? 1));
  const readinessProbe = o.unreadyFile
    ? { exec: { command: ['sh', '-c', `test ! -e ${o.unreadyFile}`] }, periodSeconds: period, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 }
    : { httpGet: { path: '/hostname', port: PROBE_PORT }, periodSeconds: period, failureThreshold: 2 };
  return deployment({
    name: o.name,
    namespace: o.namespace,
    labels: o.labels,
    replicas: o.replicas,
    template: {
      metadata: { labels: o.labels },
      spec: {
        ...PROBE_POD_DEFAULTS,
        ...(o.spread ? spreadOverNodes(o.labels) : {}),
        containers: [
          {
            name: 'netexec',
            image: o.image,
            imagePullPolicy: 'IfNotPresent',
            args: ['netexec', `--http-port=${PROBE_PORT}`, '--udp-port=-1'],
            ports: [{ name: 'http', containerPort: PROBE_PORT, protocol: 'TCP' }],
            readinessProbe,
          },
        ],
        ...o.podSpec,
      },
    },
  });
}

export interface ServicePort {
  name: string;
  port: number;
  /** A number, or the name of a container port. */
  targetPort: number | string;
  nodePort?: number;
}

/** A Service with any number of named TCP ports, ClusterIP or NodePort. */
export function multiPortService(o: { name: string; namespace: string; labels: Record<string, string>; selector: Record<string, string>; ports: ServicePort[]; type?: 'ClusterIP' | 'NodePort' }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      type: o.type ?? 'ClusterIP',
      selector: o.selector,
      ports: o.ports.map((p) => ({ name: p.name, protocol: 'TCP', port: p.port, targetPort: p.targetPort, ...(p.nodePort ? { nodePort: p.nodePort } : {}) })),
    },
  };
}

/** The pod's node by name, as a required node affinity (the scheduler still applies taints, unlike nodeName). */
export function pinToNode(node: string): Record<string, unknown> {
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
        },
      },
    },
  };
}
