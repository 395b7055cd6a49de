// Manifests of the probe workloads the network checks create: agnhost netexec
// servers, idle agnhost clients (pod or host network), Services. Pure builders;
// names come from the check's name so a reader of `kubectl get pods` knows whose
// pods they are.
import type { KubeObject } from '../../kube/types.ts';

/** Probes hold no state: stop at once, no API token, no service env vars. */
export const PROBE_POD_DEFAULTS = {
  terminationGracePeriodSeconds: 1,
  automountServiceAccountToken: false,
  enableServiceLinks: false,
} as const;

/** netexec's HTTP port (its default). */
export const PROBE_PORT = 8080;
export const LABEL_CHECK = 'kconform.io/check';
export const LABEL_ROLE = 'kconform.io/role';
const LABEL_MANAGED = 'app.kubernetes.io/managed-by';

/** Control-plane taints a probe tolerates when the control plane should take part. */
export const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/**
 * A DNS label from the check's name, short enough for suffixes: "pod network!" ->
 * "pod-network". Retries get "-a2", "-a3" so a new attempt never meets the pods of
 * the previous one while they terminate.
 */
export function probeBaseName(name: string, attempt = 1): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/g, '');
  if (!/^[a-z]/.test(base)) base = `p${base}`.slice(0, 30);
  return attempt > 1 ? `${base}-a${attempt}` : base;
}

export function probeLabels(base: string, role: string): Record<string, string> {
  return { [LABEL_MANAGED]: 'kconform', [LABEL_CHECK]: base, [LABEL_ROLE]: role };
}

/** Label selector text for a label map. */
export function selectorOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface PodPlacement {
  /** Pin to this node through required node affinity (the scheduler still checks taints). */
  node?: string;
  /** Spread the pods carrying these labels over nodes (soft: ScheduleAnyway). */
  spread?: Record<string, string>;
  /** Tolerate the control-plane NoSchedule taint so the control plane can take part. */
  tolerateControlPlane?: boolean;
  /** More tolerations (e.g. node-change-tolerations.ts). */
  tolerations?: Record<string, unknown>[];
}

export interface PodBase extends PodPlacement {
  name: string;
  namespace: string;
  image: string;
  labels: Record<string, string>;
}

/**
 * An agnhost netexec container serving HTTP on `port`, Ready once it answers
 * /hostname. UDP off: containers sharing a pod's network would clash on it.
 */
export function netexecContainer(o: { name: string; image: string; port?: number; portName?: string }): Record<string, unknown> {
  const port = o.port ?? PROBE_PORT;
  return {
    name: o.name,
    image: o.image,
    imagePullPolicy: 'IfNotPresent',
    args: ['netexec', `--http-port=${port}`, '--udp-port=-1'],
    ports: [{ name: o.portName ?? 'http', containerPort: port, protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/hostname', port }, periodSeconds: 1, failureThreshold: 2 },
  };
}

/** An agnhost netexec server on PROBE_PORT, Ready once it answers /hostname. */
export function serverPod(o: PodBase & { hostname?: string }): KubeObject {
  return probePodOf(o, {
    ...(o.hostname ? { hostname: o.hostname } : {}),
    containers: [netexecContainer({ name: 'agnhost', image: o.image })],
  });
}

/** An idle agnhost (`pause`) to exec probes in; on the node's network with hostNetwork. */
export function clientPod(o: PodBase & { hostNetwork?: boolean }): KubeObject {
  return probePodOf(o, {
    ...(o.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
    containers: [{ name: 'agnhost', image: o.image, imagePullPolicy: 'IfNotPresent', args: ['pause'] }],
  });
}

/** A pod with the probe defaults and the placement asked for; `spec` adds containers and the rest. */
export function probePodOf(o: Omit<PodBase, 'image'>, spec: Record<string, unknown>): KubeObject {
  const all = [...(o.tolerateControlPlane ? CONTROL_PLANE_TAINTS.map((key) => ({ key, operator: 'Exists', effect: 'NoSchedule' })) : []), ...(o.tolerations ?? [])];
  const tolerations = all.length > 0 ? all : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      ...PROBE_POD_DEFAULTS,
      ...(o.node
        ? {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [o.node] }] }],
                },
              },
            },
          }
        : {}),
      ...(tolerations ? { tolerations } : {}),
      ...(o.spread ? spreadOverNodes(o.spread) : {}),
      ...spec,
    },
  };
}

/** Spreads the pods these labels select over nodes, softly: a small cluster still runs them all. */
export function spreadOverNodes(labels: Record<string, string>): { topologySpreadConstraints: Record<string, unknown>[] } {
  return { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }] };
}

export interface DeploymentOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Defaults to the labels. */
  selector?: Record<string, string>;
  replicas: number;
  template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
  /** More of the Deployment's spec (strategy, progressDeadlineSeconds...). */
  spec?: Record<string, unknown>;
}

export function deployment(o: DeploymentOptions): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: { replicas: o.replicas, selector: { matchLabels: o.selector ?? o.labels }, ...o.spec, template: o.template },
  };
}

export interface ServiceOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** Service port (named "http", TCP) -> PROBE_PORT on the pods. */
  port: number;
  headless?: boolean;
  sessionAffinity?: 'None' | 'ClientIP';
}

export function service(o: ServiceOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      ...(o.headless ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
      selector: o.selector,
      ports: [{ name: 'http', protocol: 'TCP', port: o.port, targetPort: PROBE_PORT }],
      ...(o.sessionAffinity ? { sessionAffinity: o.sessionAffinity } : {}),
    },
  };
}
