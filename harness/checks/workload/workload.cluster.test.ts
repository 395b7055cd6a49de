// The `workload` check on the real kind testbed: self-healing, scaling and the
// two-container pod pass; and a pod that never gets its replacement (the
// Deployment scaled to 0 behind kconform's back while the check waits) fails
// with that reason, at once rather than at the deadline.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PodObject } from '../../kube/objects.ts';
import { LABEL_CHECK } from '../common/probe-manifests.ts';
import { TestCluster } from '../common/test-context.ts';
import { workloadCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const say = (what: string, r: { outcome: { status: string; reason: string }; durationMs: number }) =>
  process.stdout.write(`    workload ${what}: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);

describe.skipIf(!kubeconfig)(`workload on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;

  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'workload');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('selfHealing: a deleted pod is replaced by a Ready pod, and leaves the endpoints', async () => {
    const r = await tc.run(workloadCheck, { kind: 'workload', mode: 'selfHealing', name: 'heal' }, 120_000);
    say('selfHealing', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^deleted pod (heal-\S+): replacement heal-\S+ Ready after \d+\.\ds, \1 left the endpoints after \d+\.\ds, 3\/3 Ready and listed after \d+\.\ds$/);
    expect(r.outcome.assertions?.every((a) => a.passed)).toBe(true);
  });

  it('selfHealing: the Deployment scaled to 0 behind its back while it waits: no replacement, said at once', async () => {
    // As soon as the check deletes its victim, scale the Deployment to 0.
    const tamper = (async () => {
      await tc.kube.waitFor<PodObject>(
        'v1',
        'Pod',
        { namespace: tc.namespace, labelSelector: `${LABEL_CHECK}=noheal` },
        (pods) => ({ done: pods.some((p) => !!p.metadata.deletionTimestamp), observed: `${pods.length} pods, none terminating` }),
        { description: 'the check to delete a pod', timeoutMs: 110_000 },
      );
      await tc.kube.patch({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'noheal', namespace: tc.namespace }, { spec: { replicas: 0 } });
    })();
    const r = await tc.run(workloadCheck, { kind: 'workload', mode: 'selfHealing', name: 'noheal', within: '60s' }, 120_000);
    await tamper;
    say('selfHealing, scaled to 0 behind its back', r);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(
      /^Deployment noheal was scaled to 0 during the check \(not by kconform; expected 3\): no replacement will come for pod noheal-\S+ \(\d Ready pod\(s\), ReplicaSet wants \d\) \(\d+\.\ds after the delete\)$/,
    );
    expect(r.outcome.assertions?.find((a) => a.name === 'a Ready replacement within the deadline')?.passed).toBe(false);
    expect(r.durationMs).toBeLessThan(50_000);
  });

  it('scaling 3 -> 5 -> 2: pods and endpoints follow each step', async () => {
    const r = await tc.run(workloadCheck, { kind: 'workload', mode: 'scaling', name: 'scale' }, 150_000);
    say('scaling', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^Deployment scale scaled 3 -> 5 -> 2: pods and endpoints followed each step \(3 -> 5 in \d+\.\ds, 5 -> 2 in \d+\.\ds\)$/);
    const timeline = r.outcome.evidence?.find((e) => e.kind === 'timeline');
    expect(timeline && timeline.kind === 'timeline' ? Math.max(...timeline.points.map((p) => p.values['pods Ready'] ?? 0)) : 0).toBe(5);
  });

  it('multiContainer: one network namespace and one volume, separate filesystems', async () => {
    const r = await tc.run(workloadCheck, { kind: 'workload', mode: 'multiContainer', name: 'duo' }, 90_000);
    say('multiContainer', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.assertions?.map((a) => [a.name, a.passed])).toEqual([
      ['one network namespace', true],
      ['one pod IP', true],
      ['sidecar reaches web on localhost', true],
      ['a shared volume', true],
      ['separate filesystems outside the volume', true],
    ]);
  });
});
