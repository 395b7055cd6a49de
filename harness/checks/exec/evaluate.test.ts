import { describe, expect, it } from 'vitest';
import { evaluateExec } from './evaluate.ts';
import { judgeTargets, nodeTaints } from './pods.ts';
import { nodeDebugPod, onNodeCommand, shellLine } from './node-pod.ts';
import type { PodObject } from '../../kube/objects.ts';

describe('evaluateExec', () => {
  it('passes when every target exits as expected and prints what is asked', () => {
    const v = evaluateExec({ stdout: '^ok {{ nonce }}$' }, [{ target: 'probe/agnhost', exitCode: 0, stdout: 'ok abc\n', stderr: '' }], 'abc');
    expect(v.ok).toBe(true);
    expect(v.line).toBe('probe/agnhost: output as expected');
    expect(v.assertions.map((a) => a.name)).toEqual(['probe/agnhost: exit code 0', 'probe/agnhost: stdout matches /^ok abc$/']);
  });

  it('sameOutput: the shared volume shows the same inode in both containers, or the check says what each printed', () => {
    const same = evaluateExec({ sameOutput: true }, [
      { target: 'files/fileserver', exitCode: 0, stdout: '2049:1234\n', stderr: '' },
      { target: 'files/downloader', exitCode: 0, stdout: '2049:1234\n', stderr: '' },
    ], 'n');
    expect(same.ok).toBe(true);
    const differ = evaluateExec({ sameOutput: true }, [
      { target: 'files/fileserver', exitCode: 0, stdout: '2049:1234\n', stderr: '' },
      { target: 'files/downloader', exitCode: 0, stdout: '2049:99\n', stderr: '' },
    ], 'n');
    expect(differ.ok).toBe(false);
    expect(differ.line).toBe('same stdout on every target: files/fileserver: "2049:1234", files/downloader: "2049:99"');
    expect(differ.assertions.filter((a) => a.passed)).toHaveLength(2);
  });

  it('a command that could not run fails every assertion of its target with the error', () => {
    const v = evaluateExec({ stdout: 'x' }, [{ target: 'w1', stdout: '', stderr: '', error: 'exec failed: connection reset' }], 'n');
    expect(v.assertions).toEqual([
      { name: 'w1: exit code 0', passed: false, message: 'exec failed: connection reset' },
      { name: 'w1: stdout matches /x/', passed: false, message: 'exec failed: connection reset' },
    ]);
    expect(v.line).toBe('w1: exit code 0: exec failed: connection reset (+1 more)');
  });

  it('a wrong exit code quotes stderr', () => {
    const v = evaluateExec(undefined, [{ target: 'p/c', exitCode: 2, stdout: '', stderr: 'getent: not found\n' }], 'n');
    expect(v.line).toBe('p/c: exit code 0: exit code 2, stderr "getent: not found"');
  });
});

function pod(name: string, opts: { containers?: string[]; running?: string[]; phase?: string; waiting?: string; unschedulable?: string } = {}): PodObject {
  const containers = opts.containers ?? ['c'];
  const running = opts.running ?? containers;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'lab1' },
    spec: { containers: containers.map((n) => ({ name: n })) },
    status: {
      phase: opts.phase ?? 'Running',
      ...(opts.unschedulable ? { conditions: [{ type: 'PodScheduled', status: 'False', message: opts.unschedulable }] } : {}),
      // An unscheduled pod has no container statuses yet.
      containerStatuses: opts.unschedulable ? [] : containers.map((n) => ({ name: n, ready: running.includes(n), restartCount: 0, state: running.includes(n) ? { running: {} } : { waiting: { reason: opts.waiting ?? 'ContainerCreating' } } })),
    },
  };
}

describe('judgeTargets', () => {
  it('by name: missing, not running (with the state), or usable', () => {
    const t = { namespace: 'lab1', name: 'files' };
    expect(judgeTargets(t, [])).toEqual({ pods: [], problem: 'pod files (ns lab1) not found', final: false });
    const pending = pod('files', { phase: 'Pending', running: [], unschedulable: '0/2 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }' });
    expect(judgeTargets(t, [pending]).problem).toBe('pod files not running: Pending: 0/2 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    expect(judgeTargets(t, [pod('files')]).pods.map((p) => p.metadata.name)).toEqual(['files']);
  });

  it('a container the pod does not have is final: waiting cannot help', () => {
    const v = judgeTargets({ namespace: 'lab1', name: 'files', containers: ['fileserver', 'downloader'] }, [pod('files', { containers: ['fileserver'] })]);
    expect(v).toMatchObject({ problem: 'pod files has no container downloader (containers: fileserver)', final: true });
  });

  it('by selector: the first running pod by name, or all of them with all', () => {
    const pods = [pod('web-b'), pod('web-a', { running: [], phase: 'Pending' }), pod('web-c')];
    expect(judgeTargets({ namespace: 'lab1', selector: 'app=web' }, pods).pods.map((p) => p.metadata.name)).toEqual(['web-b']);
    const all = judgeTargets({ namespace: 'lab1', selector: 'app=web', all: true }, pods);
    expect(all.problem).toBe('pod web-a not running: ContainerCreating');
    expect(judgeTargets({ namespace: 'lab1', selector: 'app=web' }, [])).toMatchObject({ problem: 'no pod matches app=web (ns lab1)' });
  });

  it('an image that cannot be pulled is final', () => {
    expect(judgeTargets({ namespace: 'lab1', name: 'x' }, [pod('x', { running: [], phase: 'Pending', waiting: 'ImagePullBackOff' })])).toMatchObject({ problem: 'pod x not running: ImagePullBackOff', final: true });
  });
});

describe('nodeTaints', () => {
  it('names each tainted node and its taints', () => {
    const node = (name: string, taints: { key: string; value?: string; effect: string }[]) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } });
    expect(nodeTaints([node('cp', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]), node('w1', []), node('w2', [{ key: 'gpu', value: 'yes', effect: 'NoExecute' }])])).toBe(
      'node taints: cp: node-role.kubernetes.io/control-plane:NoSchedule, node.kubernetes.io/not-ready:NoSchedule; w2: gpu=yes:NoExecute',
    );
    expect(nodeTaints([node('w1', [])])).toBe('no node has taints');
  });
});

describe('node debug pod', () => {
  it('is privileged, in the host PID and network namespaces, pinned to its node, tolerating every taint', () => {
    const p = nodeDebugPod({ name: 'sysctl-w1', namespace: 'ns', node: 'w1', image: 'agnhost', base: 'sysctl' }) as unknown as { spec: Record<string, unknown> & { containers: { securityContext: unknown }[] } };
    expect(p.spec).toMatchObject({ nodeName: 'w1', hostPID: true, hostNetwork: true, tolerations: [{ operator: 'Exists' }] });
    expect(p.spec.containers[0]?.securityContext).toEqual({ privileged: true });
  });

  it('enters PID 1 with nsenter, else chroots into /host; a list command is quoted into one line', () => {
    expect(onNodeCommand('sysctl -n net.ipv4.ip_forward')).toEqual([
      'sh', '-c', 'if command -v nsenter >/dev/null 2>&1; then exec nsenter -t 1 -m -u -i -n -p -- sh -c "$1"; else exec chroot /host sh -c "$1"; fi', 'kconform-node-exec', 'sysctl -n net.ipv4.ip_forward',
    ]);
    expect(shellLine(['cat', '/proc/sys/net/ipv4/ip_forward', "it's"])).toBe(`cat /proc/sys/net/ipv4/ip_forward 'it'\\''s'`);
  });
});
