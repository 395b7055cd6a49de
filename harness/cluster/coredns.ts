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

export async function useInClusterOnlyCorefile(kube: Kube): Promise<void> {
  await kube.patch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'coredns', namespace: 'kube-system' }, { data: { Corefile: IN_CLUSTER_COREFILE } }, 'merge');
  // Restart so the new Corefile is used now, not after the reload plugin notices.
  await kube.patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', namespace: 'kube-system' },
    { spec: { template: { metadata: { annotations: { 'kconform.io/corefile': 'in-cluster-only' } } } } },
    'strategic',
  );
}
