// Manifests of the model: one namespace per model namespace (label ns=<name>)
// and one pod per model pod (label pod=<name>) with a container per port, each
// `agnhost serve-hostname` on that port and protocol with the port's name.
// Pure builders.
import type { KubeObject } from '../../kube/types.ts';
import { LABEL_MANAGED, LABEL_RUN } from '../../plan/ids.ts';
import { LABEL_CHECK, probePodOf } from '../common/probe-manifests.ts';
import type { Model, ModelPort } from './spec/model.ts';

/**
 * The real name of model namespace `short`: the suite namespace, the check's
 * name (two networkPolicy checks in one suite must not meet, even while the
 * first one's namespaces terminate) and the short name; at most 63 characters.
 */
export function realNamespace(suiteNamespace: string, check: string, short: string, attempt: number): string {
  const suffix = `-${check.slice(0, 12).replace(/-+$/, '')}-${short}${attempt > 1 ? `-a${attempt}` : ''}`;
  return `${suiteNamespace.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

export function namespaceManifest(name: string, short: string, runId: string, check: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ns: short, [LABEL_RUN]: runId, [LABEL_MANAGED]: 'kconform', [LABEL_CHECK]: check } },
  };
}

export function containerName(p: ModelPort): string {
  return `c-${p.port}-${p.protocol.toLowerCase()}`;
}

export function modelPod(o: { namespace: string; pod: string; image: string; check: string; runId: string; ports: readonly ModelPort[] }): KubeObject {
  const labels = { pod: o.pod, [LABEL_CHECK]: o.check, [LABEL_RUN]: o.runId, [LABEL_MANAGED]: 'kconform' };
  return probePodOf(
    // spread over nodes so that flows cross nodes (soft: a one-node cluster still runs them)
    { name: o.pod, namespace: o.namespace, labels, spread: { [LABEL_CHECK]: o.check } },
    {
      containers: o.ports.map((p) => ({
        name: containerName(p),
        image: o.image,
        imagePullPolicy: 'IfNotPresent',
        args: ['serve-hostname', p.protocol === 'UDP' ? '--udp' : '--tcp', '--http=false', '--port', String(p.port)],
        ports: [{ name: p.name, containerPort: p.port, protocol: p.protocol }],
        ...(p.protocol === 'TCP' ? { readinessProbe: { tcpSocket: { port: p.port }, periodSeconds: 1, failureThreshold: 2 } } : {}),
      })),
    },
  );
}

export function modelPods(model: Model, o: { nsName: (short: string) => string; image: string; check: string; runId: string }): KubeObject[] {
  return model.namespaces.flatMap((ns) => model.pods.map((pod) => modelPod({ namespace: o.nsName(ns), pod, image: o.image, check: o.check, runId: o.runId, ports: model.ports })));
}
