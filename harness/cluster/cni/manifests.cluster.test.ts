// Every CNI manifest against the real API server of the testbed, server-side
// dry-run: schemas, field names (Strict validation), RBAC, CRDs. Nothing is
// created. calico's manifest holds CRDs but no custom resource, so it dry-runs
// in one pass; its CRDs are then applied for real (and removed) to dry-run the
// IPPool calico-node creates at start-up against them. The testbed's own CNI
// is also diagnosed: a healthy flannel has no pitfall.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { readVersions } from '../../images/versions.ts';
import { kindNodes } from '../kind/kind-cli.ts';
import { dockerNodeShell } from '../kind/node-shell.ts';
import { cniRecipe } from './index.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const clusterName = inject('clusterName');

describe.skipIf(!kubeconfig)(`CNI manifests on the real API server${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const kube = kubeconfig ? Kube.fromKubeconfig({ kubeconfig }) : (undefined as unknown as Kube);
  const versions = readVersions();
  const crds: KubeObject[] = [];
  afterAll(async () => {
    for (const c of crds) await kube.delete({ apiVersion: c.apiVersion, kind: c.kind, name: c.metadata.name! }).catch(() => {});
  });

  it.each(['calico', 'weave', 'kindnet', 'flannel', 'flannel:host-gw'])('%s applies cleanly with a server-side dry-run, and nothing is created', async (id) => {
    const objs = await cniRecipe(id).manifest({ podSubnet: '10.244.0.0/16', versions, controlPlaneEndpoint: `${clusterName}-control-plane:6443` });
    const applied = await kube.apply(objs, { dryRun: true });
    expect(applied.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`));
    const agent = objs.find((o) => o.kind === 'DaemonSet')!;
    if (id.startsWith('flannel')) return; // the testbed runs flannel itself
    expect(await kube.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: agent.metadata.namespace!, name: agent.metadata.name! })).toBeUndefined();
  });

  it('calico CRDs accept the IPPool calico-node creates from CALICO_IPV4POOL_CIDR', async () => {
    const objs = await cniRecipe('calico').manifest({ podSubnet: '10.244.0.0/16', versions });
    crds.push(...objs.filter((o) => o.kind === 'CustomResourceDefinition'));
    await kube.apply(crds);
    for (const c of crds) {
      await kube.waitFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { name: c.metadata.name! }, ([d]) => {
        const conds = (d as { status?: { conditions?: { type: string; status: string }[] } } | undefined)?.status?.conditions ?? [];
        const done = conds.some((x) => x.type === 'Established' && x.status === 'True');
        return { done, observed: done ? 'Established' : 'not Established yet' };
      }, { description: `CRD ${c.metadata.name} to be Established`, timeoutMs: 30_000 });
    }
    const pool: KubeObject = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPool',
      metadata: { name: 'default-ipv4-ippool' },
      spec: { cidr: '10.244.0.0/16', vxlanMode: 'Always', ipipMode: 'Never', natOutgoing: true, blockSize: 26, nodeSelector: 'all()' },
    };
    const [dry] = await kube.apply([pool], { dryRun: true });
    expect(dry?.spec).toMatchObject({ cidr: '10.244.0.0/16', vxlanMode: 'Always', ipipMode: 'Never' });
    const block: KubeObject = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPAMBlock', metadata: { name: '10-244-0-0-26' }, spec: { cidr: '10.244.0.0/26' } };
    const [b] = await kube.apply([block], { dryRun: true });
    // A default the CRD carries (calico relies on the API server for it).
    expect((b?.spec as { sequenceNumber?: number }).sequenceNumber).toBe(0);
  });

  it('the testbed\'s flannel shows no pitfall', async () => {
    const nodes = (await kindNodes(clusterName)).map(dockerNodeShell);
    expect(nodes.length).toBeGreaterThan(0);
    expect(await cniRecipe('flannel').pitfalls({ kube, nodes, podSubnet: '10.244.0.0/16' })).toEqual([]);
    // The same cluster judged as if it ran weave: its DaemonSet is missing, and the
    // weave plugins are absent only where an agent is Ready (nowhere): nothing to say
    // about files, but the range weave would use is reported.
    const asWeave = await cniRecipe('weave').pitfalls({ kube, nodes, podSubnet: '10.244.0.0/16' });
    expect(asWeave.map((p) => p.name)).toEqual(['pod-cidr-mismatch']);
  });
});

describe.skipIf(!kubeconfig)(`a readiness wait that runs out names the pitfalls${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('a missing bridge plugin and a flannel Network that is not the pod subnet are reported by name', async () => {
    const { waitClusterReady, ClusterNotReadyError } = await import('../kind/ready.ts');
    const kube = Kube.fromKubeconfig({ kubeconfig });
    const worker = `${clusterName}-worker2`;
    const shell = dockerNodeShell(worker);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-flannel', name: 'kube-flannel-cfg' };
    const before = (await kube.get<KubeObject & { data: Record<string, string> }>(cm))!.data['net-conf.json']!;
    // Both breakages are undone below; a running flanneld reads its ConfigMap only at start.
    await shell.run(['mv', '/opt/cni/bin/bridge', '/opt/cni/bin/bridge.kconform-test']);
    await kube.patch(cm, { data: { 'net-conf.json': before.replace('10.244.0.0/16', '10.99.0.0/16') } });
    try {
      const nodes = (await kindNodes(clusterName)).map(dockerNodeShell);
      const recipe = cniRecipe('flannel');
      const err = await waitClusterReady(kube, {
        nodes: nodes.length + 1, // never reached: the wait runs out
        cniAgent: recipe.agent,
        timeoutMs: 2_000,
        signal: new AbortController().signal,
        diagnose: () => recipe.pitfalls({ kube, nodes, podSubnet: '10.244.0.0/16' }),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterNotReadyError);
      const e = err as InstanceType<typeof ClusterNotReadyError>;
      expect(e.pitfalls.map((p) => p.name)).toEqual(['cni-plugin-missing', 'pod-cidr-mismatch']);
      expect(e.message).toMatch(new RegExp(`^pitfall cni-plugin-missing: node ${worker}: /opt/cni/bin has no bridge`));
      expect(e.message).toContain("pitfall pod-cidr-mismatch: flannel net-conf.json Network (ConfigMap kube-flannel/kube-flannel-cfg) is 10.99.0.0/16 but the cluster's pod subnet is 10.244.0.0/16");
      expect(e.message).toMatch(/\(cluster to be ready: not reached after \d+s; last seen: 3\/4 nodes Ready/);
    } finally {
      await shell.run(['mv', '/opt/cni/bin/bridge.kconform-test', '/opt/cni/bin/bridge']);
      await kube.patch(cm, { data: { 'net-conf.json': before } });
    }
    expect(await cniRecipe('flannel').pitfalls({ kube, nodes: (await kindNodes(clusterName)).map(dockerNodeShell), podSubnet: '10.244.0.0/16' })).toEqual([]);
  });
});
