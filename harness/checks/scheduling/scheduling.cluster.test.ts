// The `scheduling` check on the real kind testbed. Each mode passes on a
// healthy cluster and leaves the nodes as they were (no kconform.io/sched-*
// label or taint afterwards, even when interrupted mid-check, as by Ctrl-C).
// Broken cases: a node label no node carries (one node carries it in the wrong
// case: named as the near miss, with the scheduler's own words), and a grader
// who expects an untainted control plane.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeObject } from '../../kube/objects.ts';
import { TestCluster } from '../common/test-context.ts';
import type { CheckContext } from '../types.ts';
import { schedulingCheck } from './check.ts';
import { leftoverMarks, markKey, removeLabel } from './node-marks.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const say = (what: string, r: { outcome: { status: string; reason: string }; durationMs: number }) =>
  process.stdout.write(`    scheduling ${what}: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);

/** Labels and taints of every node: what must be the same before and after a check. */
function nodeShape(nodes: NodeObject[]): Record<string, { labels: Record<string, string>; taints: unknown[]; unschedulable: boolean }> {
  return Object.fromEntries(nodes.map((n) => [n.metadata.name!, { labels: n.metadata.labels ?? {}, taints: n.spec?.taints ?? [], unschedulable: !!n.spec?.unschedulable }]));
}

describe.skipIf(!kubeconfig)(`scheduling on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  let before: ReturnType<typeof nodeShape>;
  const nodes = () => tc.kube.list<NodeObject>('v1', 'Node');

  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'sched');
    before = nodeShape(await nodes());
    expect(leftoverMarks(await nodes())).toEqual([]);
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('nodeSelector: pods land on the labelled worker only; the label is gone after', async () => {
    const r = await tc.run(schedulingCheck, { kind: 'scheduling', mode: 'nodeSelector', name: 'sel' }, 120_000);
    say('nodeSelector', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(new RegExp(`^3/3 pods with nodeSelector ${markKey('test')}=x run on node \\S+ \\(the labelled node\\) and nowhere else$`));
    expect(r.cleanupFailures).toEqual([]);
    expect(nodeShape(await nodes())).toEqual(before);
  });

  it('nodeSelector on a label no node carries: names the near miss and the scheduler message', async () => {
    const worker = Object.keys(before).filter((n) => !('node-role.kubernetes.io/control-plane' in before[n]!.labels)).sort().at(-1)!;
    await tc.kube.patch({ apiVersion: 'v1', kind: 'Node', name: worker }, { metadata: { labels: { disktype: 'SSD' } } });
    try {
      const r = await tc.run(schedulingCheck, { kind: 'scheduling', mode: 'nodeSelector', name: 'ssd', label: { key: 'disktype', value: 'ssd' } }, 60_000);
      say('nodeSelector, label missing', r);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      expect(r.outcome.reason).toMatch(
        new RegExp(`^no node carries label disktype=ssd; nodes carry disktype=SSD \\(${worker}\\); a pod with this nodeSelector stays Pending: 0/3 nodes are available: .*didn't match Pod's node affinity/selector`),
      );
    } finally {
      await removeLabel(tc.kube, worker, 'disktype');
    }
    expect(nodeShape(await nodes())).toEqual(before);
  });

  it('taints: a pod without the toleration stays off, the tolerating pod runs there, spread pods avoid it; the taint is gone after', async () => {
    const r = await tc.run(schedulingCheck, { kind: 'scheduling', mode: 'taints', name: 'taint' }, 120_000);
    say('taints', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    const m = new RegExp(`^node (\\S+) tainted ${markKey('test')}=x:NoSchedule: a pod without the toleration stays Pending \\(the scheduler names the taint\\), the tolerating pod runs there; 2 spread pods ran on (\\S+), none on (\\S+)$`).exec(r.outcome.reason);
    expect(m, r.outcome.reason).not.toBeNull();
    expect(m![3]).toBe(m![1]);
    expect(m![2]).not.toBe(m![1]);
    expect(nodeShape(await nodes())).toEqual(before);
  });

  it('controlPlane: names the control-plane taint and shows the scheduler honouring it', async () => {
    const r = await tc.run(schedulingCheck, { kind: 'scheduling', mode: 'controlPlane', name: 'cp' }, 90_000);
    say('controlPlane', r);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(
      /^control-plane node \S+ has taint node-role\.kubernetes\.io\/control-plane:NoSchedule; pods without a toleration will not run there \(pod cp-plain-0 stays Pending: 0\/3 nodes are available: .*untolerated taint.*\); with the toleration, pod cp-tolerates-0 runs there$/,
    );
  });

  it('controlPlane with expectTainted false: the blocking taint is the failure, in the words of the issue', async () => {
    const r = await tc.run(schedulingCheck, { kind: 'scheduling', mode: 'controlPlane', name: 'cp-open', expectTainted: false }, 90_000);
    say('controlPlane, expected untainted', r);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(/^control-plane node \S+ has taint node-role\.kubernetes\.io\/control-plane:NoSchedule; pods without a toleration will not run there$/);
  });

  it('read-only mode: the label and taint steps are refused (the runner skips them); an existing label is fine', () => {
    expect(schedulingCheck.needs({ kind: 'scheduling', mode: 'nodeSelector' })).toMatchObject({ destructive: true });
    expect(schedulingCheck.needs({ kind: 'scheduling', mode: 'taints' })).toMatchObject({ destructive: true });
    expect(schedulingCheck.needs({ kind: 'scheduling', mode: 'nodeSelector', label: { key: 'a', value: 'b' } })).toMatchObject({ destructive: false });
    expect(schedulingCheck.needs({ kind: 'scheduling', mode: 'controlPlane' })).toMatchObject({ destructive: false });
  });

  it('interrupted (Ctrl-C) right after the taint: cleanup still removes it, and the pods', async () => {
    const { ctx } = tc.context(120_000);
    const ctl = new AbortController();
    const c: CheckContext = { ...ctx, signal: AbortSignal.any([ctx.signal, ctl.signal]) };
    const key = markKey('test');
    const running = schedulingCheck.run({ kind: 'scheduling', mode: 'taints', name: 'cut' }, c).then(
      () => 'finished',
      (err: unknown) => `threw: ${err instanceof Error ? err.name : String(err)}`,
    );
    await tc.kube.waitFor<NodeObject>('v1', 'Node', {}, (ns) => ({ done: ns.some((n) => n.spec?.taints?.some((t) => t.key === key)), observed: 'no node tainted yet' }), {
      description: 'the check to taint a node',
      timeoutMs: 60_000,
    });
    ctl.abort(new Error('interrupted by SIGINT'));
    // As the runner does: stop waiting for the check, run its cleanup.
    const failures = await c.cleanup.run();
    expect(failures).toEqual([]);
    expect(c.cleanup.records.some((rec) => rec.description.startsWith(`remove taint ${key}=x:NoSchedule from node`))).toBe(true);
    expect(await running).toMatch(/^(threw: \w+|finished)$/);
    expect(leftoverMarks(await nodes())).toEqual([]);
    expect(nodeShape(await nodes())).toEqual(before);
  });
});
