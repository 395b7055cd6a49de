import { describe, expect, it } from 'vitest';
import type { NodeObject, PodObject } from '../../kube/objects.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import { ClusterNotReadyError, readiness } from './ready.ts';

const node = (name: string, ready: boolean): NodeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
const pod = (name: string, ns: string, labels: Record<string, string>, ready: boolean): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const agent = { namespace: 'kube-flannel', labelSelector: 'app=flannel' };

describe('readiness', () => {
  it('needs every node Ready, the CNI agent on each, and CoreDNS', () => {
    const nodes = [node('a', true), node('b', true)];
    const dns = pod('coredns-1', 'kube-system', { 'k8s-app': 'kube-dns' }, true);
    const agents = [pod('f1', 'kube-flannel', { app: 'flannel' }, true), pod('f2', 'kube-flannel', { app: 'flannel' }, true)];
    expect(readiness({ nodes: 2, cniAgent: agent }, nodes, [dns, ...agents]).ok).toBe(true);
    const r = readiness({ nodes: 2, cniAgent: agent }, [node('a', true), node('b', false)], [agents[0]!]);
    expect(r.ok).toBe(false);
    expect(r.verdict).toMatch(/^1\/2 nodes Ready; CNI agents 1\/2 Ready; CoreDNS not Ready/);
  });
  it('while CoreDNS is held at 0 replicas, needs only the nodes and the CNI agents', () => {
    const nodes = [node('a', true), node('b', true)];
    const agents = [pod('f1', 'kube-flannel', { app: 'flannel' }, true), pod('f2', 'kube-flannel', { app: 'flannel' }, true)];
    expect(readiness({ nodes: 2, cniAgent: agent, coreDns: false }, nodes, agents)).toEqual({ ok: true, verdict: '2 nodes Ready, CNI running' });
    expect(readiness({ nodes: 2, cniAgent: agent }, nodes, agents).ok).toBe(false);
    expect(readiness({ nodes: 2, cniAgent: agent, coreDns: false }, nodes, [agents[0]!]).verdict).toBe('CNI agents 1/2 Ready');
  });
  it('a CNI that marks its node when it can give addresses is waited for on every node', () => {
    const marking = { ...agent, nodeAnnotation: 'flannel.alpha.coreos.com/public-ip' };
    const marked = (n: NodeObject): NodeObject => ({ ...n, metadata: { ...n.metadata, annotations: { 'flannel.alpha.coreos.com/public-ip': '172.19.0.2' } } });
    const agents = [pod('f1', 'kube-flannel', { app: 'flannel' }, true), pod('f2', 'kube-flannel', { app: 'flannel' }, true)];
    expect(readiness({ nodes: 2, cniAgent: marking, coreDns: false }, [marked(node('a', true)), node('b', true)], agents).verdict).toBe('1/2 nodes annotated flannel.alpha.coreos.com/public-ip by the CNI agent');
    expect(readiness({ nodes: 2, cniAgent: marking, coreDns: false }, [marked(node('a', true)), marked(node('b', true))], agents).ok).toBe(true);
  });
  it('without a CNI (--cni none) only waits for the nodes to register: they stay NotReady by design', () => {
    const r = readiness({ nodes: 3, cniAgent: undefined, network: false }, [node('a', false), node('b', false), node('c', false)], []);
    expect(r).toEqual({ ok: true, verdict: '3 nodes registered (no CNI: NotReady by design)' });
    expect(readiness({ nodes: 3, cniAgent: undefined, network: false }, [node('a', false)], []).ok).toBe(false);
  });
});

describe('ClusterNotReadyError', () => {
  it('leads with the pitfalls found, then the wait', () => {
    const e = new ClusterNotReadyError(300_000, '2/3 nodes Ready', [{ name: 'cni-plugin-missing', detail: 'node w: /opt/cni/bin has no bridge', fix: 'copy it' }]);
    expect(e).toBeInstanceOf(WaitTimeoutError);
    expect(e.message).toBe('pitfall cni-plugin-missing: node w: /opt/cni/bin has no bridge; fix: copy it\n(cluster to be ready: not reached after 300s; last seen: 2/3 nodes Ready)');
    expect(new ClusterNotReadyError(1000, 'x', []).message).toBe('cluster to be ready: not reached after 1s; last seen: x');
  });
});
