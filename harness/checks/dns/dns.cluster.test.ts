// dns on the real kind testbed: passes on the healthy cluster; with CoreDNS
// scaled to 0 it fails with "no DNS answer" (not NXDOMAIN). CoreDNS is scaled
// back in `finally` and the test waits until it serves again.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../kube/types.ts';
import { TestCluster } from '../common/test-context.ts';
import { dnsCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

type Deployment = KubeObject & { spec?: { replicas?: number }; status?: { availableReplicas?: number; replicas?: number } };
const COREDNS = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', namespace: 'kube-system' };

describe.skipIf(!kubeconfig)(`dns on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;

  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'dns');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('passes on the healthy cluster', async () => {
    const r = await tc.run(dnsCheck, { kind: 'dns', name: 'dns' }, 120_000);
    process.stdout.write(`    dns healthy: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.reason).toBe('8/8 queries ok (6 names, headless 2 IPs, SRV, NXDOMAIN ok), resolv.conf ok');
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    const table = r.outcome.evidence?.find((e) => e.kind === 'table');
    // Every query was answered by the cluster DNS Service.
    const svc = await tc.kube.get<KubeObject & { spec?: { clusterIP?: string } }>({ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', namespace: 'kube-system' });
    expect(table && table.kind === 'table' ? table.rows.map((row) => row[3]) : []).toEqual(Array(8).fill(svc?.spec?.clusterIP));
  });

  it('fails with "no DNS answer" when CoreDNS is scaled to 0', async () => {
    const before = await tc.kube.get<Deployment>(COREDNS);
    const replicas = before?.spec?.replicas ?? 2;
    await tc.kube.patch(COREDNS, { spec: { replicas: 0 } });
    try {
      await tc.kube.waitFor('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }, (pods) => ({ done: pods.length === 0, observed: `${pods.length} CoreDNS pods` }), {
        description: 'CoreDNS pods to be gone',
        timeoutMs: 120_000,
      });
      const r = await tc.run(dnsCheck, { kind: 'dns', name: 'dns-down', settle: '2s' }, 150_000);
      process.stdout.write(`    dns without CoreDNS: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      expect(r.outcome.reason).toMatch(/^no DNS answer for 8\/8 queries \(/);
      expect(r.outcome.reason).not.toMatch(/NXDOMAIN,/);
    } finally {
      await tc.kube.patch(COREDNS, { spec: { replicas } });
      await tc.kube.waitFor<Deployment>('apps/v1', 'Deployment', { namespace: 'kube-system', name: 'coredns' }, ([d]) => ({ done: (d?.status?.availableReplicas ?? 0) >= replicas, observed: `${d?.status?.availableReplicas ?? 0}/${replicas} available` }), {
        description: `CoreDNS back to ${replicas} available replicas`,
        timeoutMs: 180_000,
      });
    }
  });
});
