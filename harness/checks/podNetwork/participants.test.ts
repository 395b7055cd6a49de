import { describe, expect, it } from 'vitest';
import type { NodeObject } from '../../kube/objects.ts';
import { chooseNodes } from './participants.ts';

function node(name: string, o: { cp?: boolean; ready?: string; cordoned?: boolean; taints?: { key: string; value?: string; effect: string }[] } = {}): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: o.cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
    spec: { ...(o.cordoned ? { unschedulable: true } : {}), taints: o.taints ?? (o.cp ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []), podCIDR: `10.244.${name.length}.0/24` },
    status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True' }], addresses: [{ type: 'InternalIP', address: `172.18.0.${name.length}` }, { type: 'Hostname', address: name }] },
  };
}

describe('chooseNodes', () => {
  it('takes every Ready node, the control plane too (its taint tolerated), sorted by name', () => {
    const p = chooseNodes([node('w2'), node('cp', { cp: true }), node('w1')], { includeControlPlane: true });
    expect(p.nodes.map((n) => [n.name, n.role])).toEqual([['cp', 'control-plane'], ['w1', 'worker'], ['w2', 'worker']]);
    expect(p.nodes[1]).toMatchObject({ internalIp: '172.18.0.2', podCidr: '10.244.2.0/24' });
    expect(p.excluded).toEqual([]);
  });

  it('leaves out the control plane when told to, and says why', () => {
    const p = chooseNodes([node('cp', { cp: true }), node('w1')], { includeControlPlane: false });
    expect(p.nodes.map((n) => n.name)).toEqual(['w1']);
    expect(p.excluded).toEqual([{ name: 'cp', reason: 'taint node-role.kubernetes.io/control-plane:NoSchedule' }]);
  });

  it('leaves out NotReady, cordoned and tainted nodes; a PreferNoSchedule taint does not count', () => {
    const p = chooseNodes(
      [
        node('a', { ready: 'Unknown' }),
        node('b', { cordoned: true }),
        node('c', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }),
        node('d', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }),
      ],
      { includeControlPlane: true },
    );
    expect(p.nodes.map((n) => n.name)).toEqual(['d']);
    expect(p.excluded).toEqual([
      { name: 'a', reason: 'not Ready (Ready=Unknown)' },
      { name: 'b', reason: 'cordoned (unschedulable)' },
      { name: 'c', reason: 'taint dedicated=gpu:NoExecute' },
    ]);
  });
});
