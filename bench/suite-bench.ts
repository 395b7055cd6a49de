// Times a suite (default suites/classic.yaml; also network.yaml with --target 30,
// lifecycle.yaml with --target 120) on a warm cluster (images present, nodes up): the
// whole run through the CLI, as a user runs it (namespace created and deleted,
// reports written), and each check's own duration from results.json; median,
// min and max over --runs. Target: the whole suite in 60 s or less.
//
//   npx node bench/suite-bench.ts --kubeconfig <path> [--suite suites/network.yaml] [--target 30] [--runs 3] [--warmup]
//
// Prints a Markdown table; the load average is printed too, since the checks
// wait on pods starting and a busy 2-core machine slows every one of them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { RunResult } from '../harness/results/model.ts';
import { summarizeRuns } from './timing.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG ?? '' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'boolean', default: false },
    suite: { type: 'string', default: 'suites/classic.yaml' },
    target: { type: 'string', default: '60' },
  },
});
if (!values.kubeconfig) throw new Error('give --kubeconfig (or set KUBECONFIG)');
const RUNS = Math.max(1, Number(values.runs));
const TARGET = Number(values.target);
const main = path.resolve(import.meta.dirname, '../harness/cli/main.ts');

async function runOnce(label: string): Promise<{ wallS: number; result: RunResult }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kc-classic-bench-'));
  try {
    const t0 = performance.now();
    const r = await execa(process.execPath, [main, 'run', values.suite, '--kubeconfig', values.kubeconfig, '--reports', dir, '--no-html', '--no-junit'], { reject: false, all: true, env: { CI: 'true' } });
    const wallS = (performance.now() - t0) / 1000;
    const result = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as RunResult;
    process.stderr.write(`  ${label}: ${wallS.toFixed(1)}s, ${result.summary.passed}/${result.summary.total} passed (exit ${r.exitCode}; load ${loadavg()[0]!.toFixed(1)})\n`);
    return { wallS, result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (values.warmup) await runOnce('warm-up run (not counted)');
const runs: { wallS: number; result: RunResult }[] = [];
for (let i = 1; i <= RUNS; i++) runs.push(await runOnce(`run ${i}/${RUNS}`));

const checks = runs[0]!.result.suites.flatMap((s) => s.checks.map((c) => c.id));
const rows = checks.map((id) => {
  const per = runs.map((r) => r.result.suites.flatMap((s) => s.checks).find((c) => c.id === id));
  const t = summarizeRuns(id, per.map((c) => (c?.durationMs ?? 0) / 1000));
  const statuses = [...new Set(per.map((c) => c?.status ?? 'missing'))].join('/');
  return { ...t, statuses };
});
const wall = summarizeRuns('whole suite (CLI, wall clock)', runs.map((r) => r.wallS));
const sums = summarizeRuns('sum of the checks', runs.map((r) => r.result.suites.flatMap((s) => s.checks).reduce((a, c) => a + c.durationMs, 0) / 1000));

const f = (s: number) => `${s.toFixed(1)}s`;
process.stdout.write(`\nsuites/classic.yaml on ${runs[0]!.result.cluster.name} (${runs[0]!.result.cluster.nodes} nodes, ${runs[0]!.result.cluster.cni}, ${runs[0]!.result.cluster.kubernetesVersion}), ${RUNS} run(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`);
process.stdout.write('| check | status | median | min | max |\n|---|---|---|---|---|\n');
for (const r of rows) process.stdout.write(`| ${r.label} | ${r.statuses} | ${f(r.median)} | ${f(r.min)} | ${f(r.max)} |\n`);
for (const r of [sums, wall]) process.stdout.write(`| ${r.label} | | ${f(r.median)} | ${f(r.min)} | ${f(r.max)} |\n`);
process.stdout.write(`\ntarget: whole suite <= ${TARGET}s: ${wall.median <= TARGET ? 'met' : 'NOT met'} (median ${f(wall.median)})\n`);
