// Seconds from the start of a check (or of `kconform run`) to the named cause,
// for each fault class of issue 18, on a kind testbed cluster. The faults are
// the ones the cluster test injects (harness/testing/diagnosis-scenarios.ts);
// each is undone after its run. Prints a Markdown table.
//
//   npx node bench/diagnosis.ts --kubeconfig <path> --cluster <kind name> [--runs 1] [--only deadline,coredns-zero]
import { parseArgs } from 'node:util';
import { SCENARIOS, openEnv } from '../harness/testing/diagnosis-scenarios.ts';
import { summarizeRuns } from './timing.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    cluster: { type: 'string' },
    runs: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG;
if (!kubeconfig || !values.cluster) {
  process.stderr.write('usage: npx node bench/diagnosis.ts --kubeconfig <path> --cluster <kind cluster name> [--runs 1] [--only id,...]\n');
  process.exit(2);
}
const runs = Math.max(1, Number(values.runs));
const only = values.only?.split(',').map((s) => s.trim());
const env = await openEnv(kubeconfig, values.cluster);
const rows: string[] = [];
try {
  for (const s of SCENARIOS.filter((x) => !only || only.includes(x.id))) {
    const secs: number[] = [];
    let last = '';
    for (let i = 0; i < runs; i++) {
      const r = await s.run(env);
      // For a whole command (leftovers), the cause is named by the command: its wall time counts.
      const wall = typeof r.extra?.['wallMs'] === 'number' && r.ms < 1 ? (r.extra['wallMs'] as number) : r.ms;
      secs.push(wall / 1000);
      last = `${r.status}${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}: ${r.reason}`;
      process.stderr.write(`  ${s.id} run ${i + 1}/${runs}: ${(wall / 1000).toFixed(1)}s ${last}\n`);
    }
    const t = summarizeRuns(s.id, secs);
    rows.push(`| ${s.fault} | ${t.median.toFixed(1)} (${t.min.toFixed(1)}-${t.max.toFixed(1)}) | ${last.replaceAll('|', '\\|').slice(0, 400)} |`);
  }
} finally {
  await env.tc.close();
}
process.stdout.write(`| fault | seconds to verdict, median (range) | kconform says |\n|---|---|---|\n${rows.join('\n')}\n`);
