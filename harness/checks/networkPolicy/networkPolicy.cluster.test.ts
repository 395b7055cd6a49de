// networkPolicy on the real kind testbed. On a cluster whose CNI enforces
// NetworkPolicy (kube-router: KCONFORM_TEST_CNI=kube-router) every built-in
// case's table must come out as expected, and breaking enforcement on one node
// (its kube-router forward rules flushed, again and again, while the check runs)
// must fail with the cells of that node's pods named. On flannel, which does not
// enforce policy, the check must say so in one sentence (or skip when optional).
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Evidence } from '../../results/model.ts';
import { detectCni } from '../../cluster/node-facts.ts';
import { listAgentPods } from '../../cluster/shape.ts';
import { onNode, TestCluster } from '../common/test-context.ts';
import { networkPolicyCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

const text = (evidence: Evidence[] | undefined) =>
  (evidence ?? [])
    .filter((e) => e.kind === 'text')
    .map((e) => (e.kind === 'text' ? `${e.title}\n${e.text}` : ''))
    .join('\n\n');

describe.skipIf(!kubeconfig)(`networkPolicy on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  let cni: string;

  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'netpol');
    cni = detectCni(await listAgentPods(tc.kube)) ?? 'none';
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('kube-router: every built-in case as expected, with the time until enforced', async (t) => {
    if (cni !== 'kube-router') t.skip(`the test cluster runs ${cni}, not kube-router`);
    const r = await tc.run(networkPolicyCheck, { kind: 'networkPolicy', name: 'np' }, 300_000);
    process.stdout.write(`    networkPolicy on kube-router: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    if (process.env.KCONFORM_TEST_VERBOSE) process.stdout.write(`${text(r.outcome.evidence)}\n`);
    expect(r.outcome.status, text(r.outcome.evidence)).toBe('pass');
    expect(r.outcome.reason).toMatch(/^\d+ table\(s\) of 96 flows each as expected; every change enforced within \d+\.\ds$/);
    expect(r.outcome.assertions?.length).toBe(14);
    expect(r.cleanupFailures).toEqual([]);
  });

  it('kube-router: enforcement broken on one node fails with the cells of that node\'s pods named', async (t) => {
    if (cni !== 'kube-router') t.skip(`the test cluster runs ${cni}, not kube-router`);
    const nodes = (await execa('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'name'])).stdout.split('\n').map((n) => n.replace('node/', ''));
    const broken = nodes.find((n) => n.endsWith('worker')) ?? nodes[0]!;
    const stop = '/tmp/kconform-stop-break';
    // kube-router puts the rules back on every sync; this loop takes them out again within 0.2 s.
    await onNode(broken, ['sh', '-c', `rm -f ${stop}`]);
    await execa('docker', ['exec', '-d', broken, 'sh', '-c', `while [ ! -e ${stop} ]; do iptables -F KUBE-ROUTER-FORWARD 2>/dev/null; sleep 0.2; done; rm -f ${stop}`]);
    try {
      const r = await tc.run(networkPolicyCheck, { kind: 'networkPolicy', name: 'np-broken', builtIn: ['default-deny-ingress', 'allow-from-pod'], settle: '6s' }, 240_000);
      process.stdout.write(`    networkPolicy, ${broken} broken: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
      if (process.env.KCONFORM_TEST_VERBOSE) process.stdout.write(`${text(r.outcome.evidence)}\n`);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      expect(r.outcome.reason).toMatch(/table\(s\) not as expected: default-deny-ingress: \S+ -> \S+ expected deny, got allow/);
      // every mismatching cell is a flow into a pod on the broken node
      const pods = r.outcome.evidence?.find((e) => e.kind === 'table' && e.title === 'model pods');
      const onBroken = new Set(pods?.kind === 'table' ? pods.rows.filter((row) => row[3] === broken).map((row) => String(row[0])) : []);
      expect(onBroken.size).toBeGreaterThan(0);
      const cells = [...text(r.outcome.evidence).matchAll(/^ {2}(\S+) -> (\S+?)(?::\S+)? expected (allow|deny), got (allow|deny)/gm)];
      expect(cells.length).toBeGreaterThan(0);
      for (const c of cells) expect(onBroken.has(c[2]!), c[0]).toBe(true);
    } finally {
      await onNode(broken, ['touch', stop]);
    }
  });

  it('a CNI that does not enforce NetworkPolicy: one sentence, fail or skip', async (t) => {
    if (cni === 'kube-router' || cni === 'calico' || cni === 'cilium') t.skip(`the test cluster runs ${cni}, which enforces policy`);
    const r = await tc.run(networkPolicyCheck, { kind: 'networkPolicy', name: 'np-none', builtIn: ['default-deny-ingress', 'allow-from-pod'], settle: '5s' }, 180_000);
    process.stdout.write(`    networkPolicy on ${cni}: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toBe('NetworkPolicy is not enforced: 0 of 30 flows that policy denies were denied');
    const optional = await tc.run(networkPolicyCheck, { kind: 'networkPolicy', name: 'np-opt', builtIn: ['default-deny-ingress'], settle: '3s', enforcement: 'optional' }, 180_000);
    expect(optional.outcome).toMatchObject({ status: 'skip', reason: 'NetworkPolicy is not enforced: 0 of 30 flows that policy denies were denied' });
  });
});
