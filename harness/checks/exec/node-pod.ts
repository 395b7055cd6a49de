// The privileged debug pod that runs a command on a node: host PID and network
// namespaces, the node's root at /host, pinned by nodeName, tolerating every
// taint. The command enters PID 1's namespaces (nsenter -t 1), or chroots into
// /host where nsenter is missing. Pure builders.
import type { KubeObject } from '../../kube/types.ts';
import { PROBE_POD_DEFAULTS, probeLabels } from '../common/probe-manifests.ts';

export function nodePodName(base: string, node: string): string {
  const n = node.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `${base}-${n}`.slice(0, 63).replace(/-+$/g, '');
}

export function nodeDebugPod(o: { name: string; namespace: string; node: string; image: string; base: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, namespace: o.namespace, labels: probeLabels(o.base, 'node-exec') },
    spec: {
      nodeName: o.node,
      hostPID: true,
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      restartPolicy: 'Never',
      ...PROBE_POD_DEFAULTS,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'debug',
          image: o.image,
          imagePullPolicy: 'IfNotPresent',
          args: ['pause'],
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    },
  };
}

/** argv that runs `command` (a shell line) in the node's own namespaces. */
export function onNodeCommand(command: string): string[] {
  const enter = 'if command -v nsenter >/dev/null 2>&1; then exec nsenter -t 1 -m -u -i -n -p -- sh -c "$1"; else exec chroot /host sh -c "$1"; fi';
  return ['sh', '-c', enter, 'kconform-node-exec', command];
}

/** A list command becomes one shell line (each argument single-quoted). */
export function shellLine(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
