import { describe, expect, it } from 'vitest';
import { shapeOf, unmetNeed } from './shape.ts';
import type { NodeObject, PodObject } from '../kube/objects.ts';

const node = (name: string, o: { cp?: boolean; taints?: { key: string; effect: string }[]; cordoned?: boolean; ready?: boolean; runtime?: string } = {}): NodeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.cp ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
  spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.cordoned ? { unschedulable: true } : {}) },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }], nodeInfo: { containerRuntimeVersion: o.runtime ?? 'containerd://1.6.20' } },
});
const pod = (labels: Record<string, string>): PodObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels } });
const cpTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('shapeOf', () => {
  it('counts roles and schedulable workers, and reads CNI, CRI and proxy mode', () => {
    const s = shapeOf(
      [node('cp', { cp: true, taints: [cpTaint] }), node('w1'), node('w2', { cordoned: true })],
      [pod({ app: 'flannel' }), pod({ 'k8s-app': 'kube-proxy' })],
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nmode: "ipvs"\n',
    );
    expect(s).toMatchObject({ nodes: 3, controlPlanes: 1, workers: 2, schedulableWorkers: 1, schedulableNodes: 2, cni: 'flannel', cri: 'containerd', proxyMode: 'ipvs', networkPolicy: 'not measured' });
    expect(s.taints).toEqual(['cp: node-role.kubernetes.io/control-plane:NoSchedule']);
  });
  it('treats an empty mode as iptables and a student\'s 2-node docker cluster as 1 worker', () => {
    const s = shapeOf([node('cp', { cp: true, taints: [cpTaint], runtime: 'docker://24.0' }), node('w1', { runtime: 'docker://24.0' })], [pod({ 'k8s-app': 'calico-node' })], 'mode: ""\n');
    expect(s).toMatchObject({ workers: 1, schedulableWorkers: 1, cri: 'docker', proxyMode: 'iptables', cni: 'calico', networkPolicy: 'not measured' });
  });
});

describe('unmetNeed', () => {
  const one = shapeOf([node('cp', { cp: true, taints: [cpTaint] }), node('w1')], [pod({ app: 'flannel' })], 'mode: iptables');
  it('says what the check needs and what the cluster has', () => {
    expect(unmetNeed({ minSchedulableWorkers: 2 }, one, 'drain')).toBe('drain needs 2 schedulable workers; this cluster has 1');
    expect(unmetNeed({ minNodes: 3 }, one, 'podNetwork')).toBe('podNetwork needs 3 nodes; this cluster has 2');
    // NetworkPolicy enforcement is never judged from the CNI's name: only a measurement skips a check.
    expect(unmetNeed({ features: ['networkPolicy'] }, one, 'netpol')).toBeUndefined();
    expect(unmetNeed({ features: ['networkPolicy'] }, { ...one, networkPolicy: 'not enforced' }, 'netpol')).toBe(
      'netpol needs NetworkPolicy enforcement; it was measured not enforced on this cluster (CNI flannel)',
    );
    expect(unmetNeed({ minSchedulableWorkers: 1, minNodes: 2 }, one, 'x')).toBeUndefined();
  });
});
