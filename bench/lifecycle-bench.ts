// Wall time of the lifecycle checks on a warm cluster (images loaded, nodes
// Ready), each run the way the runner runs it (own context, deadline, cleanup
// after). Targets: rollout + rollback <= 60 s; eviction (each mode, small
// tolerationSeconds) <= 60 s. Also checks that the nodes end as they started.
//
//   npx node bench/lifecycle-bench.ts --kubeconfig <path> [--runs 3] [--only rollout,drain]
import { parseArgs } from 'node:util';
import { TestCluster } from '../harness/checks/common/test-context.ts';
import { rolloutCheck } from '../harness/checks/rollout/check.ts';
import { evictionCheck } from '../harness/checks/eviction/check.ts';
import type { CheckDefinition } from '../harness/checks/types.ts';
import type { CheckSpec } from '../harness/checks/kinds.ts';
import type { NodeObject } from '../harness/kube/objects.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
if (!kubeconfig) {
  process.stderr.write('usage: npx node bench/lifecycle-bench.ts --kubeconfig <path> [--runs 3] [--only rollout,drain]\n');
  process.exit(2);
}
const RUNS = Math.max(1, Number(values.runs));

interface Case {
  id: string;
  check: CheckDefinition;
  spec: CheckSpec;
  targetMs: number;
}
const CASES: Case[] = [
  { id: 'rollout', check: rolloutCheck as unknown as CheckDefinition, spec: { kind: 'rollout', name: 'b-ro', toRevision: 2 }, targetMs: 60_000 },
  { id: 'rollout-stuck', check: rolloutCheck as unknown as CheckDefinition, spec: { kind: 'rollout', name: 'b-stuck', rollback: false, stuck: true }, targetMs: 60_000 },
  { id: 'api', check: evictionCheck as unknown as CheckDefinition, spec: { kind: 'eviction', name: 'b-api', mode: 'api' }, targetMs: 60_000 },
  { id: 'drain', check: evictionCheck as unknown as CheckDefinition, spec: { kind: 'eviction', name: 'b-drain', mode: 'drain' }, targetMs: 60_000 },
  { id: 'taint', check: evictionCheck as unknown as CheckDefinition, spec: { kind: 'eviction', name: 'b-taint', mode: 'taint', tolerationSeconds: 3 }, targetMs: 60_000 },
];
const only = values.only ? new Set(values.only.split(',')) : undefined;

/** What a run could leave on the nodes: cordon, kconform's mark, taints. */
async function nodeState(tc: TestCluster): Promise<string> {
  const nodes = await tc.kube.list<NodeObject>('v1', 'Node');
  return JSON.stringify(
    nodes
      .map((n) => ({ name: n.metadata.name, unschedulable: !!n.spec?.unschedulable, mark: n.metadata.annotations?.['kconform.io/cordoned-by'] ?? null, taints: (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort() }))
      .sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1)),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const tc = await TestCluster.open(kubeconfig, 'bench');
let failures = 0;
try {
  const before = await nodeState(tc);
  process.stdout.write(`lifecycle bench on ${tc.kube.server} (namespace ${tc.namespace}), ${RUNS} run(s) per check\n`);
  const rows: string[] = [];
  for (const c of CASES.filter((x) => !only || only.has(x.id))) {
    const times: number[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const spec = { ...c.spec, name: `${c.spec.name}-${i}` } as CheckSpec;
      const r = await tc.run(c.check, spec, 180_000);
      times.push(r.durationMs);
      const ok = r.outcome.status === 'pass' && r.cleanupFailures.length === 0;
      if (!ok) failures++;
      process.stdout.write(`  ${c.id.padEnd(13)} run ${i}: ${r.outcome.status} ${(r.durationMs / 1000).toFixed(1)}s  ${r.outcome.reason}\n`);
      const after = await nodeState(tc);
      if (after !== before) {
        failures++;
        process.stdout.write(`    nodes changed!\n    before ${before}\n    after  ${after}\n`);
      }
    }
    const m = median(times);
    rows.push(`  ${c.id.padEnd(13)} median ${(m / 1000).toFixed(1)}s  min ${(Math.min(...times) / 1000).toFixed(1)}s  max ${(Math.max(...times) / 1000).toFixed(1)}s  target <= ${c.targetMs / 1000}s ${m <= c.targetMs ? 'ok' : 'MISSED'}`);
    if (m > c.targetMs) failures++;
  }
  process.stdout.write(`${rows.join('\n')}\nnodes after every run as before: ${before}\n`);
} finally {
  await tc.close();
}
process.exit(failures ? 1 : 0);
