import { describe, expect, it } from 'vitest';
import { causeFromLog, lastLine } from './component-causes.ts';

describe('causeFromLog', () => {
  it('names a CNI/cluster CIDR mismatch from flannel\'s log', () => {
    const log = [
      'I1202 10:00:01.000000       1 main.go:211] CLI flags config: ...',
      'E1202 10:00:02.015344       1 main.go:330] Error registering network: failed to acquire lease: subnet "10.250.0.0/16" specified in the flannel net config doesn\'t contain "10.244.1.0/24" PodCIDR of the "kc-i18-worker" node',
    ].join('\n');
    expect(causeFromLog(log)).toBe('CIDR mismatch: the CNI is configured for 10.250.0.0/16 but node kc-i18-worker has podCIDR 10.244.1.0/24 (kubeadm --pod-network-cidr and the CNI\'s network must agree)');
  });
  it('names a missing CNI plugin binary, a missing kernel module and a CoreDNS forward loop', () => {
    expect(causeFromLog('plugin type="portmap" failed (add): failed to find plugin "portmap" in path [/opt/cni/bin]')).toBe(
      'missing CNI plugin binary: "portmap" is not in /opt/cni/bin on the node (install the CNI plugins package or the CNI\'s own installer)',
    );
    expect(causeFromLog('E1202 10:00:02.000000       1 main.go:1] Failed to check br_netfilter: stat /proc/sys/net/bridge/bridge-nf-call-iptables: no such file or directory')).toMatch(/^missing kernel module \(br_netfilter\): Failed to check br_netfilter/);
    expect(causeFromLog('[FATAL] plugin/loop: Loop (127.0.0.1:45873 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting.')).toBe(
      'forward loop: CoreDNS forwards to itself (127.0.0.1:45873 -> :53, zone .): the node\'s resolv.conf points at a local resolver; forward to a real upstream or set kubelet --resolv-conf',
    );
  });
  it('names nothing it does not know, and keeps the last line', () => {
    expect(causeFromLog('panic: something else\ngoroutine 1 [running]:')).toBeUndefined();
    expect(lastLine('a\nE1202 10:00:02.015344       1 main.go:330] boom\n')).toBe('boom');
  });
});
