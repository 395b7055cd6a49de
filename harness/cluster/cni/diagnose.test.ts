import { describe, expect, it } from 'vitest';
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { flannelRecipe } from './flannel.ts';
import { weaveRecipe } from './weave.ts';
import type { NodeShell } from './recipe.ts';

/** Just what diagnose reads: lists, gets, logs and events. */
function fakeKube(objects: KubeObject[], logs: Record<string, string> = {}): Kube {
  const fake = {
    async list(_v: string, kind: string, opts: { namespace?: string } = {}) {
      return objects.filter((o) => o.kind === kind && (!opts.namespace || o.metadata.namespace === opts.namespace));
    },
    async get(ref: { kind: string; name: string; namespace?: string }) {
      return objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name && (o.metadata.namespace ?? '') === (ref.namespace ?? ''));
    },
    async logs(_ns: string, pod: string) {
      return logs[pod] ?? '';
    },
    async events() {
      return [];
    },
  };
  return fake as unknown as Kube;
}

const shell = (name: string, bin: string, conf = ''): NodeShell => ({
  name,
  async run() {
    return { exitCode: 0, stdout: `${bin}\n@@kconform@@\n${conf}\n` };
  },
});

const node = (name: string, podCIDR?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: podCIDR ? { podCIDR } : {} });
const flannelPod = (name: string, nodeName: string, waiting?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'kube-flannel', labels: { app: 'flannel' } },
  spec: { nodeName, containers: [{ name: 'kube-flannel', image: 'ghcr.io/flannel-io/flannel:v0.28.4' }] },
  status: waiting
    ? { phase: 'Running', containerStatuses: [{ name: 'kube-flannel', ready: false, restartCount: 3, state: { waiting: { reason: waiting } } }] }
    : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'kube-flannel', ready: true, restartCount: 0, state: { running: {} } }] },
});
const netConf = (network: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kube-flannel-cfg', namespace: 'kube-flannel' },
  data: { 'net-conf.json': JSON.stringify({ Network: network, Backend: { Type: 'vxlan' } }) },
});

describe('diagnoseCni (flannel)', () => {
  const FULL = 'bridge\nflannel\nhost-local\nloopback\nportmap';
  it('finds nothing on a healthy cluster', async () => {
    const kube = fakeKube([node('cp', '10.244.0.0/24'), node('w1', '10.244.1.0/24'), flannelPod('f1', 'cp'), flannelPod('f2', 'w1'), netConf('10.244.0.0/16')]);
    const found = await flannelRecipe('vxlan').pitfalls({ kube, nodes: [shell('cp', FULL, '10-flannel.conflist'), shell('w1', FULL, '10-flannel.conflist')], podSubnet: '10.244.0.0/16' });
    expect(found).toEqual([]);
  });

  it('names every cause of a stuck flannel: missing bridge, no podCIDR, wrong Network, and the crash log line', async () => {
    const kube = fakeKube(
      [node('cp', '10.244.0.0/24'), node('w1'), flannelPod('f1', 'cp'), flannelPod('f2', 'w1', 'CrashLoopBackOff'), netConf('10.100.0.0/16')],
      { f2: 'I1123 main.go: Error registering network: failed to acquire lease: node "w1" pod cidr not assigned' },
    );
    const found = await flannelRecipe('vxlan').pitfalls({
      kube,
      nodes: [shell('cp', FULL, '10-flannel.conflist'), shell('w1', 'flannel\nhost-local\nloopback\nportmap')],
      podSubnet: '10.244.0.0/16',
    });
    expect(found.map((p) => p.name)).toEqual(['cni-plugin-missing', 'node-pod-cidr-missing', 'pod-cidr-mismatch', 'node-pod-cidr-missing', 'flannel-network-config']);
    expect(found[0]!.detail).toMatch(/^node w1: \/opt\/cni\/bin has no bridge/);
    expect(found[2]!.detail).toMatch(/net-conf.json Network .* is 10.100.0.0\/16 but the cluster's pod subnet is 10.244.0.0\/16/);
    expect(found[3]!.detail).toMatch(/^f2 logged: .*pod cidr not assigned/);
  });

  it('reads nothing from nodes when the provider has no node access (kubeconfig clusters)', async () => {
    const kube = fakeKube([node('cp', '10.244.0.0/24'), flannelPod('f1', 'cp'), netConf('10.244.0.0/16')]);
    expect(await flannelRecipe('host-gw').pitfalls({ kube, nodes: [], podSubnet: '10.244.0.0/16' })).toEqual([]);
  });
});

describe('diagnoseCni (weave)', () => {
  it('reports weave\'s default range when IPALLOC_RANGE was not set', async () => {
    const ds: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'weave-net', namespace: 'kube-system' },
      spec: { template: { spec: { containers: [{ name: 'weave', env: [{ name: 'HOSTNAME', value: 'x' }] }] } } },
    };
    const found = await weaveRecipe().pitfalls({ kube: fakeKube([ds, node('cp')]), nodes: [], podSubnet: '10.244.0.0/16' });
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toBe("weave IPALLOC_RANGE (unset: weave's default) is 10.32.0.0/12 but the cluster's pod subnet is 10.244.0.0/16");
  });
});
