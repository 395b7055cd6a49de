import { describe, expect, it } from 'vitest';
import type { NodeObject } from '../../kube/objects.ts';
import {
  agentInstallPitfalls,
  cidrWithin,
  configuredRangePitfall,
  imagePitfalls,
  logPitfalls,
  missingFromListing,
  nodePluginPitfalls,
  nodePodCidrPitfalls,
  parseCidr,
  sameCidr,
  uniquePitfalls,
  type AgentPod,
} from './pitfalls.ts';
import { calicoPoolPitfalls, type CalicoPool } from './calico.ts';
import { formatPitfalls } from './recipe.ts';

const node = (name: string, podCIDR?: string): NodeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, ...(podCIDR ? { spec: { podCIDR } } : {}) });

describe('CIDR arithmetic', () => {
  it('parses IPv4 CIDRs to their network and refuses anything else', () => {
    expect(parseCidr('10.244.3.7/16')).toEqual({ base: (10 * 256 + 244) * 65536, bits: 16 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ base: 0, bits: 0 });
    expect(parseCidr('255.255.255.255/32')?.base).toBe(2 ** 32 - 1);
    for (const bad of ['10.244.0.0', '10.256.0.0/16', '10.0.0.0/33', 'fd00::/64', 'abc']) expect(parseCidr(bad), bad).toBeUndefined();
  });
  it('tells whether a node podCIDR lies in the pod subnet', () => {
    expect(cidrWithin('10.244.2.0/24', '10.244.0.0/16')).toBe(true);
    expect(cidrWithin('10.245.0.0/24', '10.244.0.0/16')).toBe(false);
    expect(cidrWithin('10.0.0.0/8', '10.244.0.0/16')).toBe(false);
    expect(cidrWithin('192.168.1.0/24', '192.168.0.0/16')).toBe(true);
    expect(cidrWithin('fd00::/64', '10.0.0.0/8')).toBeUndefined();
  });
  it('compares networks ignoring host bits', () => {
    expect(sameCidr('10.244.0.0/16', '10.244.9.9/16')).toBe(true);
    expect(sameCidr('10.244.0.0/16', '10.244.0.0/17')).toBe(false);
    expect(sameCidr('10.32.0.0/12', '10.244.0.0/16')).toBe(false);
  });
});

describe('node pitfalls', () => {
  it('names the plugins a node lacks', () => {
    expect(missingFromListing(['bridge', 'flannel', 'loopback'], 'loopback\nhost-local\nptp\n')).toEqual(['bridge', 'flannel']);
    const found = nodePluginPitfalls(['bridge', 'loopback'], [
      { node: 'kc-worker', cniBin: 'loopback\nptp', cniConf: '' },
      { node: 'kc-worker2', cniBin: 'bridge\nloopback', cniConf: '' },
      { node: 'kc-unreadable' },
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: 'cni-plugin-missing' });
    expect(found[0]!.detail).toMatch(/kc-worker: \/opt\/cni\/bin has no bridge \(has: loopback, ptp\)/);
  });
  it('judges what the agent installs only where the agent is Ready', () => {
    const files = [
      { node: 'a', cniBin: 'loopback', cniConf: '' },
      { node: 'b', cniBin: 'loopback\ncalico\ncalico-ipam', cniConf: '10-calico.conflist' },
    ];
    expect(agentInstallPitfalls('calico', ['calico', 'calico-ipam'], files, new Set(['b']))).toEqual([]);
    const found = agentInstallPitfalls('calico', ['calico', 'calico-ipam'], files, new Set(['a', 'b']));
    expect(found.map((p) => p.name)).toEqual(['cni-plugin-missing', 'cni-config-missing']);
    expect(found[0]!.detail).toContain('node a');
  });
  it('flags nodes without a podCIDR (when the CNI routes by it) and podCIDRs outside the pod subnet', () => {
    const nodes = [node('cp', '10.244.0.0/24'), node('w1'), node('w2', '10.99.1.0/24')];
    const required = nodePodCidrPitfalls('10.244.0.0/16', nodes, { required: true });
    expect(required.map((p) => p.name)).toEqual(['node-pod-cidr-missing', 'pod-cidr-mismatch']);
    expect(required[0]!.detail).toContain('w1');
    expect(required[1]!.detail).toBe("node w2: spec.podCIDR 10.99.1.0/24 is outside the cluster's pod subnet 10.244.0.0/16");
    expect(nodePodCidrPitfalls('10.244.0.0/16', nodes, { required: false }).map((p) => p.name)).toEqual(['pod-cidr-mismatch']);
    expect(nodePodCidrPitfalls('10.244.0.0/16', [node('cp', '10.244.1.0/24')], { required: true })).toEqual([]);
  });
  it('compares the CIDR a CNI was configured with to the pod subnet', () => {
    expect(configuredRangePitfall('10.244.0.0/16', { value: '10.244.0.0/16', source: 'x' })).toBeUndefined();
    expect(configuredRangePitfall('10.244.0.0/16', undefined)).toBeUndefined();
    const p = configuredRangePitfall('10.244.0.0/16', { value: '10.32.0.0/12', source: 'weave IPALLOC_RANGE' });
    expect(p?.name).toBe('pod-cidr-mismatch');
    expect(p?.detail).toBe("weave IPALLOC_RANGE is 10.32.0.0/12 but the cluster's pod subnet is 10.244.0.0/16");
  });
});

describe('agent pod pitfalls', () => {
  const pod = (name: string, reason: string, init = false): AgentPod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.30.7' }], initContainers: [{ name: 'install-cni', image: 'docker.io/calico/cni:v3.30.7' }] } as AgentPod['spec'],
    status: init
      ? { initContainerStatuses: [{ name: 'install-cni', ready: false, restartCount: 0, state: { waiting: { reason } } }] }
      : { containerStatuses: [{ name: 'calico-node', ready: false, restartCount: 0, state: { waiting: { reason } } }] },
  });
  it('groups image pull failures by image, init containers included', () => {
    const found = imagePitfalls([pod('n1', 'ImagePullBackOff', true), pod('n2', 'ErrImagePull', true), pod('n3', 'CrashLoopBackOff')]);
    expect(found).toHaveLength(1);
    expect(found[0]!.name).toBe('cni-image-unavailable');
    expect(found[0]!.detail).toBe('image docker.io/calico/cni:v3.30.7 cannot be pulled (n1 ImagePullBackOff, n2 ErrImagePull)');
  });
  it('quotes the first log line matching a known failure', () => {
    const logs = 'starting\n2026-11-23 felix: Kernel\'s RPF check is set to \'loose\'\nbye';
    const found = logPitfalls('calico-node-x', logs, [{ re: /RPF check/, name: 'rp-filter-loose', fix: 'f' }, { re: /nothing/, name: 'n', fix: 'f' }]);
    expect(found).toEqual([{ name: 'rp-filter-loose', detail: "calico-node-x logged: 2026-11-23 felix: Kernel's RPF check is set to 'loose'", fix: 'f' }]);
  });
  it('keeps one finding per name and detail, and formats them one per line', () => {
    const p = { name: 'a', detail: 'd', fix: 'f' };
    expect(uniquePitfalls([p, { ...p }, { ...p, detail: 'e' }])).toHaveLength(2);
    expect(formatPitfalls([p, { ...p, name: 'b' }])).toBe('pitfall a: d; fix: f\npitfall b: d; fix: f');
  });
});

describe('calico pool pitfalls', () => {
  const pool = (spec: CalicoPool['spec']): CalicoPool => ({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'default-ipv4-ippool' }, spec });
  it('accepts the recipe\'s pool', () => {
    expect(calicoPoolPitfalls([pool({ cidr: '10.244.0.0/16', vxlanMode: 'Always', ipipMode: 'Never' })], '10.244.0.0/16')).toEqual([]);
  });
  it('names a wrong CIDR, IPIP, and a pool without encapsulation', () => {
    expect(calicoPoolPitfalls([pool({ cidr: '192.168.0.0/16', vxlanMode: 'Always', ipipMode: 'Never' })], '10.244.0.0/16').map((p) => p.name)).toEqual(['pod-cidr-mismatch']);
    expect(calicoPoolPitfalls([pool({ cidr: '10.244.0.0/16', vxlanMode: 'Never', ipipMode: 'Always' })], '10.244.0.0/16').map((p) => p.name)).toEqual(['calico-ipip']);
    expect(calicoPoolPitfalls([pool({ cidr: '10.244.0.0/16' })], '10.244.0.0/16').map((p) => p.name)).toEqual(['calico-no-encapsulation']);
    expect(calicoPoolPitfalls([pool({ cidr: '192.168.0.0/16', disabled: true })], '10.244.0.0/16')).toEqual([]);
  });
});
