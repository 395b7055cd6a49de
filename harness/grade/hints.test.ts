import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../results/model.ts';
import { HINTS, builtInHints, combineHints, matchHints, withBuiltInHints } from './hints.ts';

const ids = (text: string) => matchHints(text).map((h) => h.id);

describe('built-in hints', () => {
  it('recognises each classic failure from the words checks and Kubernetes use', () => {
    expect(ids('cp: NotReady: Ready=False (KubeletNotReady): container network not ready; likely cause: no CNI installed')).toEqual(['no-cni']);
    expect(ids('pod probe not running: Pending: 0/2 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }')).toEqual(['no-cni']);
    expect(ids('[ERROR CRI]: found multiple CRI endpoints on the host. Please define which one do you wish to use by setting the criSocket field')).toEqual(['several-cri-sockets']);
    expect(ids('w1: stdout matches /^bridge-nf-call-iptables=1$/: got "ip_forward=1 bridge-nf-call-iptables=missing"')).toEqual(['bridge-netfilter']);
    expect(ids('E1123 flanneld: Error registering network: failed to acquire lease: node "w1" pod cidr not assigned')).toEqual(['pod-cidr-mismatch']);
    expect(ids('Pending: 0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')).toEqual(['control-plane-taint']);
    expect(ids('Service web (ns lab1) has no ready endpoints: its selector app=wbe matches no pod; Service web ...: status 200: could not connect')).toEqual(['service-selector']);
    expect(ids('Service files (ns lab1) has no ready endpoints for port rpc/6800: its pods have no container port named rpc')).toEqual(['service-target-port']);
    expect(ids('pod files not running: ImagePullBackOff')).toEqual(['image-pull']);
  });

  it('reads the node taints checks add to the scheduler\'s bare "untolerated taint(s)" (Kubernetes 1.37)', () => {
    const pending = 'pod probe not running: Pending: 0/2 nodes are available: 2 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.';
    expect(ids(`${pending} (node taints: cp: node-role.kubernetes.io/control-plane:NoSchedule, node.kubernetes.io/not-ready:NoSchedule; w1: node.kubernetes.io/not-ready:NoSchedule)`)).toEqual(['no-cni']);
    expect(ids(`${pending.replace(/2/g, '1')} (node taints: cp: node-role.kubernetes.io/control-plane:NoSchedule)`)).toEqual(['control-plane-taint']);
  });

  it('does not blame the control-plane taint when the nodes are NotReady anyway', () => {
    expect(ids('0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }')).toEqual(['no-cni']);
  });

  it('stays quiet on healthy words', () => {
    expect(ids('3/3 Ready, runtime containerd://, flannel on 3/3 nodes')).toEqual([]);
    expect(ids('Service web (ns lab1) port 80 (10.96.3.4): 30 request(s) as expected')).toEqual([]);
  });

  it('every entry has an id, a title and a hint', () => {
    expect(new Set(HINTS.map((h) => h.id)).size).toBe(HINTS.length);
    for (const h of HINTS) expect(h.hint.length).toBeGreaterThan(40);
  });
});

const failed: CheckResult = {
  id: 'lab1/web-spread', suite: 'lab1', name: 'web-spread', kind: 'http', status: 'fail',
  reason: 'Service web (ns lab1) has no ready endpoints: its selector app=wbe matches no pod; ...', durationMs: 1, startedAt: '', runId: 'r',
  evidence: [{ kind: 'events', title: 'events', events: [{ time: '', type: 'Warning', reason: 'Failed', object: 'pod/x', message: 'Failed to pull image "nginx:lates": manifest unknown' }] }],
  assertions: [], flaky: false, attempts: [], hint: 'The Service must select the Deployment pods.',
};

describe('attaching hints to results', () => {
  it('looks in the reason and the evidence, keeps the author hint first', () => {
    expect(builtInHints(failed).map((h) => h.id)).toEqual(['service-selector', 'image-pull']);
    const hinted = withBuiltInHints(failed);
    expect(hinted.hint?.split('\n')[0]).toBe('The Service must select the Deployment pods.');
    expect(hinted.hint).toContain('[Service selector matches no pod] ');
    expect(hinted.hint).toContain('[image cannot be pulled] ');
  });
  it('leaves passed results alone', () => {
    expect(withBuiltInHints({ ...failed, status: 'pass' })).toEqual({ ...failed, status: 'pass' });
    expect(combineHints(undefined, [])).toBeUndefined();
  });
});
