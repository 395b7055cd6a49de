import { describe, expect, it } from 'vitest';
import { nodeChangeTolerations } from './node-change-tolerations.ts';
import { clientPod } from './probe-manifests.ts';
import { versionedPodTemplate } from './version-probe.ts';

describe('nodeChangeTolerations', () => {
  it("tolerates this run's cordon and test taints only, by key", () => {
    expect(nodeChangeTolerations('r42').map((t) => `${t.key}:${t.effect}`)).toEqual(['kconform.io/sched-r42:NoSchedule', 'kconform.io/evict-test-r42:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule']);
    // Never the empty key (that tolerates every taint, the cluster's own too).
    expect(nodeChangeTolerations('r42').every((t) => t.key !== '')).toBe(true);
  });
  it('is carried by probe pods and versioned templates that ask for it, beside the control-plane ones', () => {
    const tolerations = nodeChangeTolerations('r1');
    const pod = clientPod({ name: 'c', namespace: 'n', image: 'i', labels: {}, tolerateControlPlane: true, tolerations }) as unknown as { spec: { tolerations: { key: string }[] } };
    expect(pod.spec.tolerations.map((t) => t.key)).toEqual(expect.arrayContaining(['node-role.kubernetes.io/control-plane', 'kconform.io/evict-test-r1']));
    const tpl = versionedPodTemplate({ version: 'v1', image: 'i', labels: {}, readiness: 'http', startDelaySec: 0, preStopSec: 3, tolerations });
    expect((tpl.spec as { tolerations: unknown[] }).tolerations).toEqual(tolerations);
    expect(versionedPodTemplate({ version: 'v1', image: 'i', labels: {}, readiness: 'http', startDelaySec: 0, preStopSec: 3 }).spec).not.toHaveProperty('tolerations');
  });
});
