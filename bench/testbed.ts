// Benchmark of the offline testbed (issue: offline testbed): warm image build,
// cluster up to all-Ready, cluster down; with --cold also a cold build into an
// empty cache (slow: ~15-20 min on 2 cores). Not a test: prints a table.
//   npx node bench/testbed.ts [--runs 3] [--cold]
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printTable, timeCommand, type Timing } from './timing.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const cold = args.includes('--cold');
const cli = ['harness/cli/main.ts'];
const name = 'kconform-bench';
const rows: Timing[] = [];

if (cold) {
  const cache = await mkdtemp(path.join(os.tmpdir(), 'kconform-cold-'));
  rows.push(await timeCommand('images build (cold, empty cache)', 'bash', ['harness/images/build.sh'], 1, { KCONFORM_CACHE: cache }));
}
rows.push(await timeCommand('images build (warm)', 'bash', ['harness/images/build.sh'], runs));
const up: number[] = [];
const down: number[] = [];
for (let i = 0; i < runs; i++) {
  up.push(...(await timeCommand('cluster up --nodes 3', 'node', [...cli, 'cluster', 'up', '--name', name, '--nodes', '3'], 1)).runs);
  down.push(...(await timeCommand('cluster down', 'node', [...cli, 'cluster', 'down', '--name', name], 1)).runs);
}
const { summarizeRuns } = await import('./timing.ts');
rows.push(summarizeRuns('cluster up --nodes 3 (to all Ready)', up), summarizeRuns('cluster down', down));
printTable(rows);
