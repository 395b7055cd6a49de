// eviction on the real kind testbed, each mode healthy, and the broken cases:
// a PDB with maxUnavailable 0 blocks the drain (named, not a timeout), a node
// left cordoned by an earlier run is named before anything changes. After
// every case the nodes are as they were: schedulable, no kconform mark, no
// kconform taint.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeObject } from '../../kube/objects.ts';
import { TestCluster, onNode } from '../common/test-context.ts';
import { evictionCheck } from './check.ts';
import { CORDONED_BY, TAINT_PREFIX, UNSCHEDULABLE_TAINT } from '../../cluster/marks.ts';
import { sweepNodes } from './sweep-nodes.ts';
import { PROBE_PORT, selectorOf } from '../common/probe-manifests.ts';
import { evictionNames } from './workload.ts';
import type { PdbObject } from './pdb-ops.ts';
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';

interface ProbedPod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

describe.skipIf(!kubeconfig)(`eviction on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'eviction');
  });
  afterAll(async () => {
    await tc?.close();
  });

  /** Node name -> what a run could have left on it. */
  async function nodeState(): Promise<Record<string, string>> {
    const nodes = await tc.kube.list<NodeObject>('v1', 'Node');
    return Object.fromEntries(
      nodes.map((n) => {
        const taints = (n.spec?.taints ?? []).filter((t) => t.key.startsWith(TAINT_PREFIX) || t.key === UNSCHEDULABLE_TAINT).map((t) => t.key);
        return [n.metadata.name ?? '', `${n.spec?.unschedulable ? 'cordoned' : 'schedulable'} ${n.metadata.annotations?.[CORDONED_BY] ?? '-'} ${taints.join(',') || '-'}`];
      }),
    );
  }
  let before: Record<string, string>;
  beforeAll(async () => {
    before = await nodeState();
  });
  afterEach(async () => {
    expect(await nodeState()).toEqual(before);
  });

  it('api: evictions within the budget succeed, the next gets 429 and the pod stays', async () => {
    const r = await tc.run(evictionCheck, { kind: 'eviction', mode: 'api', name: 'ev-api' }, 180_000);
    process.stdout.write(`    eviction api: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^PDB ev-api-pdb \(maxUnavailable 1\): 1 eviction\(s\) allowed, ev-api-\S+ refused with 429 \(The disruption budget ev-api-pdb needs 2 healthy pods and has 2 currently\) and stayed; evicted once the budget allowed it \(201\)$/);
  });

  it('sets aside a pass during which a pod it left alone went unready, and passes on the next', async () => {
    // The kubelet's readiness probe of one pod is refused on its node (a blip a
    // loaded node can cause) from the first eviction until its answer is back.
    const n = evictionNames('ev-blink');
    const blinked: string[] = [];
    const kube = new Proxy(tc.kube, {
      get(target, prop) {
        if (prop === 'evict' && blinked.length === 0) {
          return async (ns: string, pod: string, opts: { dryRun?: boolean; signal?: AbortSignal }) => {
            const pods = (await target.list<ProbedPod>('v1', 'Pod', { namespace: ns, labelSelector: selectorOf(n.serverSelector) })).map((p) => p.metadata.name ?? '').sort();
            // pods[0] is evicted first, pods[1] is the one refused: pods[2] must stay Ready.
            const other = (await target.get<ProbedPod>({ apiVersion: 'v1', kind: 'Pod', name: pods[2]!, namespace: ns }))!;
            blinked.push(other.metadata.name ?? '');
            const rule = ['OUTPUT', '-d', other.status?.podIP ?? '', '-p', 'tcp', '--dport', String(PROBE_PORT), '-j', 'REJECT', '--reject-with', 'tcp-reset'];
            await onNode(other.spec?.nodeName ?? '', ['iptables', '-I', ...rule]);
            try {
              await target.waitFor<PdbObject>('policy/v1', 'PodDisruptionBudget', { namespace: ns, name: n.pdb }, ([p]) => ({ done: (p?.status?.currentHealthy ?? 3) < 3, observed: `${p?.status?.currentHealthy} healthy` }), {
                description: 'the budget to lose a healthy pod',
                timeoutMs: 20_000,
              });
              return await target.evict(ns, pod, opts);
            } finally {
              await onNode(other.spec?.nodeName ?? '', ['iptables', '-D', ...rule]);
            }
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as Kube;
    const { ctx } = tc.context(180_000);
    const outcome = await evictionCheck.run({ kind: 'eviction', mode: 'api', name: 'ev-blink' }, { ...ctx, kube });
    await ctx.cleanup.run();
    process.stdout.write(`    eviction api with a readiness blip: ${outcome.status}: ${outcome.reason}\n`);
    expect(outcome.status, outcome.reason).toBe('pass');
    expect(outcome.reason).toMatch(
      new RegExp(`; a first pass was set aside: pod ${blinked[0]} (is not Ready|went unready and was Ready again at \\S+); PDB then: .* \\(eviction of ev-blink-\\S+ was refused although PDB ev-blink-pdb allowed 1: HTTP 429 .*needs 2 healthy pods and has 2 currently\\)$`),
    );
    expect(outcome.evidence?.filter((e) => e.kind === 'table').map((e) => e.title)).toEqual(['evictions (PDB ev-blink-pdb: maxUnavailable 1)', 'evictions, pass 2 (PDB ev-blink-pdb: maxUnavailable 1)']);
  });

  it('fails naming the disruption controller when it may not write budgets\' status, with the 429 every drain would meet', async () => {
    const ref = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'system:controller:disruption-controller' };
    const role = (await tc.kube.get<KubeObject & { rules: { resources?: string[] }[] }>(ref))!;
    const rules = role.rules;
    const without = rules.filter((r) => !(r.resources ?? []).includes('poddisruptionbudgets/status'));
    expect(without.length).toBe(rules.length - 1);
    await tc.kube.patch(ref, { rules: without });
    try {
      const r = await tc.run(evictionCheck, { kind: 'eviction', mode: 'api', name: 'ev-nostatus', readyTimeout: '8s' }, 60_000);
      process.stdout.write(`    eviction api without a disruption controller: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      expect(r.outcome.reason).toMatch(
        /^PDB ev-nostatus-pdb never counted the 3 healthy pods: no status: the disruption controller \(kube-controller-manager\) never computed it; a dry-run eviction of ev-nostatus-\S+ answered HTTP 429: .*The disruption budget ev-nostatus-pdb is still being processed by the server/,
      );
    } finally {
      await tc.kube.patch(ref, { rules });
    }
  });

  it('drain: pods move to the other worker, no request lost, the node is uncordoned after', async () => {
    const r = await tc.run(evictionCheck, { kind: 'eviction', mode: 'drain', name: 'ev-drain' }, 180_000);
    process.stdout.write(`    eviction drain: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^drained \S+ in [\d.]+s: [12] pod\(s\) evicted.*, replaced Ready on \S+; 1 DaemonSet pod\(s\) left; node unschedulable until uncordoned; 0\/\d+ requests failed$/);
    expect(r.cleanupFailures).toEqual([]);
  });

  it('taint: evicts by toleration, after about tolerationSeconds, and removes the taint', async () => {
    const r = await tc.run(evictionCheck, { kind: 'eviction', mode: 'taint', name: 'ev-taint', tolerationSeconds: 4 }, 180_000);
    process.stdout.write(`    eviction taint: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toMatch(/^NoExecute taint on \S+: ev-taint-intolerant evicted after [0-2]\.\ds, ev-taint-tolerates-4s after [3-6]\.\ds \(tolerationSeconds 4, ±3s\), ev-taint-tolerates kept for [\d.]+s; taint removed$/);
  });

  it('drain blocked by a PDB with maxUnavailable 0 names the budget and the pod, and uncordons', async () => {
    const r = await tc.run(evictionCheck, { kind: 'eviction', mode: 'drain', name: 'ev-block', pdb: { maxUnavailable: 0 }, drainTimeout: '30s' }, 180_000);
    process.stdout.write(`    eviction drain blocked: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(/^PDB ev-block-pdb blocks eviction of ev-block-\S+: it allows no disruption even with all 3 pods healthy \(maxUnavailable 0\)/);
    expect(r.outcome.reason).not.toMatch(/timed out|timeout/);
    expect(r.cleanupFailures).toEqual([]);
  });

  it('names a node left cordoned (or tainted) by an earlier run, before changing anything; the node sweep restores it', async () => {
    const nodes = await tc.kube.list<NodeObject>('v1', 'Node');
    const target = nodes
      .filter((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined)
      .map((n) => n.metadata.name ?? '')
      .sort()[0]!;
    const ref = { apiVersion: 'v1', kind: 'Node', name: target };
    const stale = { key: `${TAINT_PREFIX}old123`, effect: 'NoSchedule' };
    const live = await tc.kube.get<NodeObject>(ref);
    // NoSchedule, not NoExecute: the simulated leftover must not evict the cluster's own pods.
    await tc.kube.patch(ref, { metadata: { annotations: { [CORDONED_BY]: 'old123' } }, spec: { unschedulable: true, taints: [...(live?.spec?.taints ?? []), stale] } });
    const swept: string[] = [];
    try {
      for (const mode of ['drain', 'taint'] as const) {
        const r = await tc.run(evictionCheck, { kind: 'eviction', mode, name: `ev-left-${mode}` }, 60_000);
        process.stdout.write(`    eviction ${mode} with a leftover cordon: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
        expect(r.outcome.status, r.outcome.reason).toBe('fail');
        expect(r.outcome.reason).toBe(
          `node ${target} was left cordoned by kconform run old123 (annotation ${CORDONED_BY}=old123): uncordon it (kubectl uncordon ${target}; kubectl annotate node ${target} ${CORDONED_BY}-) or run kconform clean (+1 more)`,
        );
        const listed = r.outcome.evidence?.find((e) => e.kind === 'text' && e.title === 'left by earlier runs');
        expect(listed && listed.kind === 'text' ? listed.text : '').toContain(`node ${target} still has taint ${stale.key}:NoSchedule from kconform run old123`);
        // Nothing was created or changed: the check stopped before its first step.
        expect(r.log).toEqual([]);
        const n = await tc.kube.get<NodeObject>(ref);
        expect(n?.metadata.annotations?.[CORDONED_BY]).toBe('old123');
      }
    } finally {
      // What `kconform clean` would do: undo the marked cordon and the test taint, nothing else.
      await sweepNodes(tc.kube, { dryRun: true, log: (l) => swept.push(l) });
      await sweepNodes(tc.kube, { dryRun: false, log: () => {} });
      await tc.kube.waitFor<NodeObject>('v1', 'Node', { name: target }, ([n]) => ({ done: !(n?.spec?.taints ?? []).some((t) => t.key === UNSCHEDULABLE_TAINT), observed: 'taints' }), {
        description: 'unschedulable taint gone',
        timeoutMs: 30_000,
      });
    }
    expect(swept).toEqual([`would ${target}: uncordon (marked by run old123), remove taint ${stale.key}:NoSchedule`]);
  });
});
