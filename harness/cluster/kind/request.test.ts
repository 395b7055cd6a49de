import { describe, expect, it } from 'vitest';
import { resolveClusterRequest, type ClusterField } from './request.ts';

const flags = (values: Record<string, unknown>, explicit: ClusterField[] = []) => ({ values, explicit: new Set(explicit) });
const defaults = { provider: 'kubeconfig' as const, nodes: 3, cni: 'flannel', cri: 'containerd' as const };

describe('resolveClusterRequest', () => {
  it('without suites or flags: the defaults', () => {
    const r = resolveClusterRequest(flags(defaults), [], {});
    expect(r.request).toEqual(defaults);
    expect(r.from).toEqual({ provider: 'default', nodes: 'default', cni: 'default', cri: 'default' });
  });
  it('a suite\'s cluster block fills what no flag set', () => {
    const r = resolveClusterRequest(flags(defaults), [{ file: 'suites/net.yaml', cluster: { provider: 'kind', cni: 'calico', podSubnet: '10.1.0.0/16' } }, { file: 'suites/nodes.yaml' }], {});
    expect(r.request).toEqual({ provider: 'kind', nodes: 3, cni: 'calico', cri: 'containerd', podSubnet: '10.1.0.0/16' });
    expect(r.from.cni).toBe('suites/net.yaml');
  });
  it('a flag given on the command line wins over every suite', () => {
    const r = resolveClusterRequest(flags({ ...defaults, cni: 'weave' }, ['cni']), [{ file: 'a.yaml', cluster: { cni: 'calico' } }], {});
    expect(r.request.cni).toBe('weave');
    expect(r.from.cni).toBe('flag');
  });
  it('suites that agree are fine; suites that disagree are named, with the flag that settles it', () => {
    expect(resolveClusterRequest(flags(defaults), [{ file: 'a.yaml', cluster: { cri: 'docker' } }, { file: 'b.yaml', cluster: { cri: 'docker' } }], {}).request.cri).toBe('docker');
    expect(() =>
      resolveClusterRequest(flags(defaults), [
        { file: 'a.yaml', cluster: { cni: 'calico', nodes: 2 } },
        { file: 'b.yaml', cluster: { cni: 'weave', nodes: 2 } },
        { file: 'c.yaml', cluster: { cni: 'calico' } },
      ], {}),
    ).toThrow('the suites ask for different clusters:\n  cni: a.yaml wants calico, b.yaml wants weave, c.yaml wants calico\nchoose with --cni (the flag wins over every suite), or run those suites separately');
    // ...and the flag does settle it.
    expect(resolveClusterRequest(flags({ ...defaults, cni: 'calico' }, ['cni']), [{ file: 'a.yaml', cluster: { cni: 'calico' } }, { file: 'b.yaml', cluster: { cni: 'weave' } }], {}).request.cni).toBe('calico');
  });
});
