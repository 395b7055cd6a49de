// podNetwork on the real kind testbed: passes on the healthy cluster, names SNAT
// when one node masquerades pod-to-pod traffic, and fails the column of a node
// whose pod CIDR is blackholed on the others. Node changes are made with
// `docker exec` on the kind node containers and undone in `finally`.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Evidence, MatrixCell } from '../../results/model.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { onNode, TestCluster } from '../common/test-context.ts';
import { podNetworkCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

function matrix(evidence: Evidence[] | undefined): Extract<Evidence, { kind: 'matrix' }> {
  const m = evidence?.find((e) => e.kind === 'matrix');
  if (!m || m.kind !== 'matrix') throw new Error('no matrix evidence');
  return m;
}

describe.skipIf(!kubeconfig)(`podNetwork on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  let nodes: NodeObject[];

  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'podnet');
    nodes = (await tc.kube.list<NodeObject>('v1', 'Node')).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('passes on the healthy cluster: every pod pair and host->pod pair, no SNAT', async () => {
    const r = await tc.run(podNetworkCheck, { kind: 'podNetwork', name: 'pn' }, 180_000);
    process.stdout.write(`    podNetwork healthy: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.reason).toMatch(/^\d+\/\d+ pod pairs, \d+\/\d+ host->pod, no SNAT/);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    const m = matrix(r.outcome.evidence);
    expect(m.cols).toHaveLength(nodes.length);
    expect(m.rows).toHaveLength(nodes.length * 2);
    expect(m.cells.flat().every((c: MatrixCell) => c.ok && typeof c.latencyMs === 'number')).toBe(true);
  });

  it('names SNAT when one node masquerades its pods\' traffic to other pods', async () => {
    const node = worker(nodes);
    const name = node.metadata.name!;
    const cidr = node.spec!.podCIDR!;
    const rule = ['-s', cidr, '!', '-d', cidr, '-j', 'MASQUERADE', '-m', 'comment', '--comment', 'kconform-test-snat'];
    await onNode(name, ['iptables', '-t', 'nat', '-I', 'POSTROUTING', '1', ...rule]);
    try {
      const r = await tc.run(podNetworkCheck, { kind: 'podNetwork', name: 'pn-snat', tries: 2, requestTimeout: '2s' }, 180_000);
      process.stdout.write(`    podNetwork SNAT: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      expect(r.outcome.reason).toMatch(new RegExp(`^${name} pod -> \\S+ pod: SNAT: server saw \\S+, client is \\S+`));
      const m = matrix(r.outcome.evidence);
      const row = m.rows.indexOf(`${name} pod`);
      // Every cell towards another node's pod is masqueraded; other rows are untouched.
      m.cols.forEach((col, j) => {
        if (col !== name) expect(m.cells[row]![j]!.label).toBe('SNAT');
      });
      m.rows.forEach((label, i) => {
        if (label !== `${name} pod`) expect(m.cells[i]!.every((c) => c.ok)).toBe(true);
      });
    } finally {
      await onNode(name, ['iptables', '-t', 'nat', '-D', 'POSTROUTING', ...rule]);
    }
  });

  it('fails the column of a node whose pod CIDR is blackholed on every other node', async () => {
    const target = worker(nodes);
    const name = target.metadata.name!;
    const [net, bits] = target.spec!.podCIDR!.split('/') as [string, string];
    // Two halves, more specific than the CNI's route to the whole CIDR: added and removed without touching it.
    const halves = splitCidr(net, Number(bits));
    const others = nodes.map((n) => n.metadata.name!).filter((n) => n !== name);
    for (const o of others) for (const h of halves) await onNode(o, ['ip', 'route', 'add', 'blackhole', h]);
    try {
      const r = await tc.run(podNetworkCheck, { kind: 'podNetwork', name: 'pn-hole', tries: 2, requestTimeout: '1s' }, 180_000);
      process.stdout.write(`    podNetwork blackhole: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
      expect(r.outcome.status, r.outcome.reason).toBe('fail');
      const problems = r.outcome.evidence?.find((e) => e.kind === 'text' && e.title === 'problems');
      expect(problems && problems.kind === 'text' ? problems.text : '').toMatch(new RegExp(`^${others[0]} pod -> ${name} pod: `, 'm'));
      const m = matrix(r.outcome.evidence);
      const col = m.cols.indexOf(name);
      m.rows.forEach((row, i) => {
        const fromTarget = row.startsWith(`${name} `);
        // Towards the blackholed node: fails from every other node; its own rows still reach it.
        expect(m.cells[i]![col]!.ok).toBe(fromTarget);
      });
    } finally {
      for (const o of others) for (const h of halves) await onNode(o, ['ip', 'route', 'del', 'blackhole', h]).catch(() => undefined);
    }
  });
});

/** The first worker (a node without the control-plane role label, whose value is empty). */
function worker(nodes: NodeObject[]): NodeObject {
  const w = nodes.find((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {})));
  if (!w) throw new Error('the testbed has no worker node');
  return w;
}

/** "10.244.2.0"/24 -> ["10.244.2.0/25", "10.244.2.128/25"] (IPv4). */
function splitCidr(net: string, bits: number): string[] {
  const n = net.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const half = 2 ** (32 - bits - 1);
  const ip = (v: number) => [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
  return [`${ip(n)}/${bits + 1}`, `${ip(n + half)}/${bits + 1}`];
}
