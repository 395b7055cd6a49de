// rollout on the real kind testbed: the healthy path (update, rollback to the
// previous and to a named revision, a stuck rollout reported and recovered)
// passes; a readiness probe that lies (Ready before the server listens) fails
// with the requests it lost during the update.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestCluster } from '../common/test-context.ts';
import { rolloutCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

describe.skipIf(!kubeconfig)(`rollout on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'rollout');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('passes an update under traffic, both rollbacks and a stuck rollout', async () => {
    const r = await tc.run(rolloutCheck, { kind: 'rollout', name: 'ro', toRevision: 2, stuck: true }, 240_000);
    process.stdout.write(`    rollout healthy: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(
      /^0\/\d+ requests failed; surge<=1 unavailable<=0 at every event \(peak 4 active, 0 unavailable\); v1 rev 1 -> v2 rev 2 \(.+\) -> undo v1 rev 3 \(.+\) -> undo v2 rev 4 \(.+\) -> stuck v3 rev 5: ProgressDeadlineExceeded \(.+\) -> undo v2 rev 6 \(.+\)$/,
    );
    const timelines = (r.outcome.evidence ?? []).filter((e) => e.kind === 'timeline');
    expect(timelines.map((t) => t.title)).toEqual([expect.stringMatching(/^active pods per ReplicaSet/), expect.stringMatching(/^requests per second/)]);
    const pods = timelines[0]!;
    if (pods.kind !== 'timeline') throw new Error('unreachable');
    // Three ReplicaSets (v1, v2, v3) plus the available and terminating columns.
    expect(pods.series.filter((s) => /^v\d /.test(s)).map((s) => s.split(' ')[0])).toEqual(expect.arrayContaining(['v1', 'v2', 'v3']));
    expect(r.cleanupFailures).toEqual([]);
  });

  it('fails a readiness probe that lies, naming the failed requests during the update', async () => {
    const r = await tc.run(rolloutCheck, { kind: 'rollout', name: 'ro-lie', readiness: 'always', startDelay: '5s', rollback: false }, 240_000);
    process.stdout.write(`    rollout lying probe: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(/^\d+\/\d+ requests failed \(allowed 0\): \d+ during the update to v2 \(\d+ no connect.*; first #\d+ at \+[\d.]+s: could not connect\)/);
    const assertion = r.outcome.assertions?.find((a) => a.name.startsWith('no failed request'));
    expect(assertion?.passed).toBe(false);
    // The probe lied, not the controller: the pod counts stayed within the limits.
    expect(r.outcome.assertions?.find((a) => a.name.startsWith('pods within'))?.passed).toBe(true);
  });
});
