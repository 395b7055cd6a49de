import { describe, expect, it } from 'vitest';
import { clientPod, probeBaseName, probeLabels, selectorOf, serverPod, service } from './probe-manifests.ts';

describe('probeBaseName', () => {
  it('makes a short DNS label from a check name, with an attempt suffix on retries', () => {
    expect(probeBaseName('podNetwork')).toBe('podnetwork');
    expect(probeBaseName('Pod network!', 2)).toBe('pod-network-a2');
    expect(probeBaseName('9lives')).toBe('p9lives');
    expect(probeBaseName('x'.repeat(80))).toHaveLength(30);
  });
});

describe('probe pods', () => {
  const base = { namespace: 'ns1', image: 'registry.k8s.io/e2e-test-images/agnhost:2.66.1', labels: probeLabels('pn', 'server') };

  it('pins a server to its node through node affinity, tolerates the control plane, and is Ready when netexec answers', () => {
    const p = serverPod({ ...base, name: 'pn-s0', node: 'kconform-control-plane', tolerateControlPlane: true }) as any;
    expect(p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kconform-control-plane'] }] },
    ]);
    expect(p.spec.tolerations.map((t: { key: string }) => t.key)).toEqual(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);
    expect(p.spec.containers[0].args).toEqual(['netexec', '--http-port=8080', '--udp-port=-1']);
    expect(p.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/hostname', port: 8080 });
    expect(p.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'kconform', 'kconform.io/check': 'pn', 'kconform.io/role': 'server' });
  });

  it('puts a host client on the node network, idle', () => {
    const p = clientPod({ ...base, name: 'pn-h0', hostNetwork: true }) as any;
    expect(p.spec.hostNetwork).toBe(true);
    expect(p.spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(p.spec.containers[0].args).toEqual(['pause']);
    expect(p.spec.affinity).toBeUndefined();
    expect(p.spec.tolerations).toBeUndefined();
  });

  it('spreads pods over nodes when asked (soft)', () => {
    const p = serverPod({ ...base, name: 'sd-0', spread: { a: 'b' } }) as any;
    expect(p.spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { a: 'b' } } }]);
  });
});

describe('service', () => {
  it('builds ClusterIP and headless Services with a named http port to netexec', () => {
    const s = service({ name: 'web', namespace: 'ns1', labels: {}, selector: { app: 'web' }, port: 80, sessionAffinity: 'ClientIP' }) as any;
    expect(s.spec).toEqual({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], sessionAffinity: 'ClientIP' });
    const h = service({ name: 'web-headless', namespace: 'ns1', labels: {}, selector: { app: 'web' }, port: 80, headless: true }) as any;
    expect(h.spec.clusterIP).toBe('None');
    expect(selectorOf({ a: '1', b: '2' })).toBe('a=1,b=2');
  });
});
