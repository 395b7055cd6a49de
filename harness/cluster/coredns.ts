// The test cluster's CoreDNS answers in-cluster names only: no forwarder (this
// project's rule, and the node's resolv.conf points at Docker's 127.0.0.11,
// which makes the default Corefile detect a loop and crash).
import type { Kube } from '../kube/client.ts';

export const IN_CLUSTER_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    cache 30
    reload
    loadbalance
}
`;

const COREDNS = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', namespace: 'kube-system' } as const;

/**
 * Scales CoreDNS to 0 until the CNI runs on every node; returns its replicas. A
 * CoreDNS pod scheduled before the CNI agent can give it an address fails its
 * sandbox, and the kubelet retries that pod only 10-15 s later (its pod worker's
 * back-off): ~12 s of every cluster bring-up, measured here with flannel.
 */
export async function holdCoreDns(kube: Kube): Promise<number> {
  const d = await kube.get(COREDNS);
  const replicas = (d?.spec as { replicas?: number } | undefined)?.replicas ?? 2;
  await kube.patch(COREDNS, { spec: { replicas: 0 } }, 'merge');
  return replicas;
}

export async function releaseCoreDns(kube: Kube, replicas: number): Promise<void> {
  await kube.patch(COREDNS, { spec: { replicas } }, 'merge');
}

export async function useInClusterOnlyCorefile(kube: Kube): Promise<void> {
  await kube.patch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'coredns', namespace: 'kube-system' }, { data: { Corefile: IN_CLUSTER_COREFILE } }, 'merge');
  // Restart so the new Corefile is used now, not after the reload plugin notices;
  // asked for readiness every 1 s (kubeadm: 10 s), so a started CoreDNS counts as
  // ready within a second of its first answer, not a period later.
  await kube.patch(
    COREDNS,
    {
      spec: {
        template: {
          metadata: { annotations: { 'kconform.io/corefile': 'in-cluster-only' } },
          spec: { containers: [{ name: 'coredns', readinessProbe: { periodSeconds: 1 } }] },
        },
      },
    },
    'strategic',
  );
}
