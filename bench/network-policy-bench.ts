// Times the NetworkPolicy suite on a warm cluster (images present, nodes up,
// a CNI that enforces policy, e.g. kube-router): the whole suite through the CLI
// as a user runs it, and from its evidence each case's time and the time until a
// change was enforced (from the API call to the end of the first probe round
// that showed the expected table). Goals: every case <= 10 s, the whole built-in
// suite <= 90 s.
//
//   npx node bench/network-policy-bench.ts --kubeconfig <path> [--suite suites/network-policy.yaml] [--runs 3]
//
// Prints a Markdown table and the load average (the machine may be shared).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { RunResult } from '../harness/results/model.ts';
import { summarizeRuns, printTable, type Timing } from './timing.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG ?? '' },
    runs: { type: 'string', default: '3' },
    suite: { type: 'string', default: 'suites/network-policy.yaml' },
  },
});
if (!values.kubeconfig) throw new Error('give --kubeconfig (or set KUBECONFIG)');
const RUNS = Math.max(1, Number(values.runs));
const main = path.resolve(import.meta.dirname, '../harness/cli/main.ts');

interface Run {
  wallS: number;
  checkS: number;
  status: string;
  /** case/step -> [step seconds, enforced-after seconds or NaN] */
  steps: Map<string, [number, number]>;
}

async function runOnce(label: string): Promise<Run> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kc-np-bench-'));
  try {
    const loadBefore = loadavg()[0]!.toFixed(1);
    const t0 = performance.now();
    const r = await execa(process.execPath, [main, 'run', values.suite, '--kubeconfig', values.kubeconfig, '--reports', dir, '--no-html', '--no-junit', '--evidence', 'always'], { reject: false, all: true, env: { CI: 'true' } });
    const wallS = (performance.now() - t0) / 1000;
    const result = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as RunResult;
    const check = result.suites.flatMap((s) => s.checks).find((c) => c.evidence.some((e) => e.kind === 'table' && e.title.startsWith('cases')));
    const table = check?.evidence.find((e) => e.kind === 'table' && e.title.startsWith('cases'));
    const steps = new Map<string, [number, number]>();
    if (table?.kind === 'table') {
      const col = (name: string) => table.columns.indexOf(name);
      for (const row of table.rows) {
        steps.set(`${row[col('case')]} (${row[col('step')]})`, [parseFloat(String(row[col('step time')])), parseFloat(String(row[col('enforced after')]))]);
      }
    }
    process.stderr.write(`  ${label} (load before ${loadBefore}): ${wallS.toFixed(1)}s, ${check?.status ?? 'no check'}: ${check?.reason ?? r.all?.slice(-300)} (load ${loadavg()[0]!.toFixed(1)})\n`);
    return { wallS, checkS: (check?.durationMs ?? 0) / 1000, status: check?.status ?? 'missing', steps };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const runs: Run[] = [];
for (let i = 1; i <= RUNS; i++) runs.push(await runOnce(`run ${i}/${RUNS}`));
const rows: Timing[] = [];
for (const key of runs[0]!.steps.keys()) rows.push(summarizeRuns(`${key}: step`, runs.map((r) => r.steps.get(key)?.[0] ?? NaN)));
const enforced = runs.flatMap((r) => [...r.steps.values()].map((s) => s[1]).filter((x) => !Number.isNaN(x)));
rows.push(summarizeRuns('time until a change is enforced (every step of every run)', enforced));
// The "changed policy": the same policy replaced with another rule while traffic is probed.
const changed = runs.map((r) => r.steps.get('added-changed-removed (changed)')?.[1] ?? NaN).filter((x) => !Number.isNaN(x));
if (changed.length) rows.push(summarizeRuns('time until a changed policy is enforced (added-changed-removed, changed)', changed));
rows.push(summarizeRuns('networkPolicy check (its own duration)', runs.map((r) => r.checkS)));
rows.push(summarizeRuns('whole suite through the CLI (wall clock)', runs.map((r) => r.wallS)));
printTable(rows);
const slowest = Math.max(...runs.flatMap((r) => [...r.steps.values()].map((s) => s[0])));
process.stdout.write(`\ngoals: every case <= 10 s (slowest step ${slowest.toFixed(1)} s), whole suite <= 90 s (median ${rows.at(-1)!.median.toFixed(1)} s); statuses ${[...new Set(runs.map((r) => r.status))].join('/')}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
