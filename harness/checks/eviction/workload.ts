// Names and manifests of the eviction check's objects. Pure.
import type { KubeObject } from '../../kube/types.ts';
import { PROBE_POD_DEFAULTS, clientPod, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { versionedDeployment, versionedPodTemplate } from '../common/version-probe.ts';
import type { Tolerance } from './taint-timing.ts';

/** A replaced pod keeps serving this long so the Service forgets it before it stops. */
export const PRESTOP_SEC = 3;

export interface EvictionNames {
  base: string;
  deployment: string;
  service: string;
  pdb: string;
  daemonSet: string;
  client: string;
  /** Label selector of the Deployment's pods. */
  serverSelector: Record<string, string>;
  /** Label selector text of every pod of this check. */
  allPods: string;
}

export function evictionNames(checkName: string, attempt = 1): EvictionNames {
  const base = probeBaseName(checkName, attempt);
  const serverSelector = { 'kconform.io/check': base, 'kconform.io/role': 'server' };
  return {
    base,
    deployment: base,
    service: base,
    pdb: `${base}-pdb`,
    daemonSet: `${base}-ds`,
    client: `${base}-client`,
    serverSelector,
    allPods: `kconform.io/check=${base}`,
  };
}

export function serverDeployment(n: EvictionNames, o: { namespace: string; image: string; replicas: number }): KubeObject {
  return versionedDeployment({
    name: n.deployment,
    namespace: o.namespace,
    replicas: o.replicas,
    labels: probeLabels(n.base, 'deployment'),
    selector: n.serverSelector,
    template: versionedPodTemplate({
      version: 'v1',
      image: o.image,
      labels: probeLabels(n.base, 'server'),
      readiness: 'http',
      startDelaySec: 0,
      preStopSec: PRESTOP_SEC,
      spread: n.serverSelector,
    }),
  });
}

export function budget(n: EvictionNames, o: { namespace: string; policy: { minAvailable: number | string } | { maxUnavailable: number | string } }): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: n.pdb, namespace: o.namespace, labels: probeLabels(n.base, 'pdb') },
    spec: { selector: { matchLabels: n.serverSelector }, ...o.policy },
  };
}

/** One idle pod per worker: what a drain must leave in place. */
export function daemonSet(n: EvictionNames, o: { namespace: string; image: string }): KubeObject {
  const labels = probeLabels(n.base, 'daemon');
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: n.daemonSet, namespace: o.namespace, labels },
    spec: {
      selector: { matchLabels: { 'kconform.io/check': n.base, 'kconform.io/role': 'daemon' } },
      template: {
        metadata: { labels },
        spec: {
          ...PROBE_POD_DEFAULTS,
          containers: [{ name: 'agnhost', image: o.image, imagePullPolicy: 'IfNotPresent', args: ['pause'] }],
        },
      },
    },
  };
}

/** The traffic client, kept off `avoid` (the node being drained) so the drain never evicts it. */
export function trafficClient(n: EvictionNames, o: { namespace: string; image: string; avoid?: string }): KubeObject {
  const p = clientPod({ name: n.client, namespace: o.namespace, image: o.image, labels: probeLabels(n.base, 'client') });
  if (o.avoid) {
    (p['spec'] as Record<string, unknown>)['affinity'] = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: [o.avoid] }] }] } },
    };
  }
  return p;
}

export function taintPodName(n: EvictionNames, t: Tolerance): string {
  return t === 'none' ? `${n.base}-intolerant` : t === 'forever' ? `${n.base}-tolerates` : `${n.base}-tolerates-${t}s`;
}

/** An idle pod pinned to `node` with the toleration its case needs for `taintKey`. */
export function taintPod(n: EvictionNames, o: { namespace: string; image: string; node: string; taintKey: string; tolerance: Tolerance }): KubeObject {
  const p = clientPod({ name: taintPodName(n, o.tolerance), namespace: o.namespace, image: o.image, node: o.node, labels: probeLabels(n.base, 'tainted') });
  if (o.tolerance !== 'none') {
    (p['spec'] as Record<string, unknown>)['tolerations'] = [
      { key: o.taintKey, operator: 'Exists', effect: 'NoExecute', ...(o.tolerance === 'forever' ? {} : { tolerationSeconds: o.tolerance }) },
    ];
  }
  return p;
}
