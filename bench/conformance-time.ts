// Times the conformance suites (what `npm run conformance` runs, less the
// cluster up and down) on an existing warm cluster, before and after: each
// variant is a kconform checkout and a --parallel value, run through GNU time
// for the whole process (wall clock, peak RSS), with results.json read for the
// check phase (run start to end), each suite's time and the failures.
//
//   npx node bench/conformance-time.ts --kubeconfig <path> [--runs 3] \
//     [--variant before=/work/main:1] [--variant after=.:auto] [--suites suites] [--interleave]
//
// Default variants: this checkout with --parallel 1 (the serial run of before)
// and with the default (auto). A variant's root is a checkout with node_modules;
// runs of the variants alternate (--interleave, default on) so machine load
// falls on both alike. Goals (issue #20, warm, quiet 2-core machine): check
// phase <= 75 s, peak RSS <= 200 MB, 0 failures. Prints Markdown tables and the
// load average before each run (the machine may be shared; say so with figures).
//
// --conformance: each run is the whole `npm run conformance` instead (kind cluster
// up, the suites, cluster down; no --kubeconfig). Before each timed run the
// variant's own images are put in Docker, untimed (a checkout whose node image
// differs would otherwise pay for the swap). Goal: wall <= 120 s (--wall-goal).
//   npx node bench/conformance-time.ts --conformance --variant before=/tmp/old:auto --variant after=.:auto
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { RunResult } from '../harness/results/model.ts';
import { summarizeRuns, type Timing } from './timing.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG ?? '' },
    runs: { type: 'string', default: '3' },
    suites: { type: 'string', default: 'suites' },
    variant: { type: 'string', multiple: true },
    interleave: { type: 'boolean', default: true },
    'check-goal': { type: 'string', default: '75' },
    'rss-goal': { type: 'string', default: '200' },
    conformance: { type: 'boolean', default: false },
    'wall-goal': { type: 'string', default: '120' },
  },
});
if (!values.kubeconfig && !values.conformance) throw new Error('give --kubeconfig (or set KUBECONFIG), or --conformance');
const RUNS = Math.max(1, Number(values.runs));
const here = path.resolve(import.meta.dirname, '..');

interface Variant {
  label: string;
  root: string;
  parallel: string;
}

function parseVariant(s: string): Variant {
  const m = /^([\w-]+)=([^:]+):(\d+|auto)$/.exec(s);
  if (!m) throw new Error(`--variant ${JSON.stringify(s)}: expected label=root:parallel, e.g. before=/work/main:1`);
  return { label: m[1]!, root: path.resolve(m[2]!), parallel: m[3]! };
}
const variants = (values.variant?.length ? values.variant : [`before=${here}:1`, `after=${here}:auto`]).map(parseVariant);

interface Sample {
  wallS: number;
  rssMB: number;
  checkPhaseS: number;
  checkSumS: number;
  suites: Record<string, number>;
  failures: string[];
  exitCode: number;
  load: string;
}

/** GNU time -v's "Maximum resident set size (kbytes): N" (the largest process: kconform's node). */
function peakRssMB(stderr: string): number {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function runOnce(v: Variant, label: string): Promise<Sample> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kc-conformance-bench-'));
  let load = '';
  try {
    const node = path.join(v.root, 'node_modules/node/bin/node');
    const main = path.join(v.root, 'harness/cli/main.ts');
    if (values.conformance) {
      await execa(node, [main, 'images', 'build'], { cwd: v.root, env: { CI: 'true' } });
      await new Promise((r) => setTimeout(r, 20_000));
    }
    // As bin.js and the npm scripts start it (a 2 MB young generation).
    const target = values.conformance ? ['conformance', values.suites, '--name', 'kc-bench-time'] : ['run', values.suites, '--kubeconfig', values.kubeconfig, '--allow-disruptive'];
    const args = [node, '--max-semi-space-size=2', main, ...target, '--parallel', v.parallel, '--reports', dir, '--no-html', '--no-junit'];
    // Before the --parallel auto change, a checkout only knows numbers: its own default was 1.
    if (v.parallel === 'auto' && !(await readFile(path.join(v.root, 'harness/cli/commands/run.ts'), 'utf8')).includes("'auto'")) args.splice(args.indexOf('--parallel'), 2);
    // Read after the untimed image step: the load the timed run starts in.
    load = loadavg().map((x) => x.toFixed(2)).join(' ');
    const t0 = performance.now();
    const r = await execa('/usr/bin/time', ['-v', ...args], { cwd: v.root, reject: false, all: false, env: { CI: 'true' } });
    const wallS = (performance.now() - t0) / 1000;
    const result = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as RunResult;
    const checks = result.suites.flatMap((s) => s.checks);
    const failures = checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => `${c.id}: ${c.reason}`);
    const s: Sample = {
      wallS,
      rssMB: peakRssMB(r.stderr),
      checkPhaseS: result.durationMs / 1000,
      checkSumS: checks.reduce((a, c) => a + c.durationMs, 0) / 1000,
      suites: Object.fromEntries(result.suites.map((x) => [x.name, x.durationMs / 1000])),
      failures,
      exitCode: r.exitCode ?? -1,
      load,
    };
    process.stderr.write(`  ${label}: wall ${wallS.toFixed(1)}s, checks ${s.checkPhaseS.toFixed(1)}s, RSS ${s.rssMB.toFixed(0)} MB, ${result.summary.passed}/${result.summary.total} passed, exit ${s.exitCode} (load before: ${load})\n`);
    for (const f of failures) process.stderr.write(`    FAILED ${f}\n`);
    return s;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const samples = new Map<string, Sample[]>(variants.map((v) => [v.label, []]));
if (values.interleave) {
  for (let i = 1; i <= RUNS; i++) for (const v of variants) samples.get(v.label)!.push(await runOnce(v, `${v.label} (--parallel ${v.parallel}) run ${i}/${RUNS}`));
} else {
  for (const v of variants) for (let i = 1; i <= RUNS; i++) samples.get(v.label)!.push(await runOnce(v, `${v.label} (--parallel ${v.parallel}) run ${i}/${RUNS}`));
}

const fmt = (t: Timing, unit = 's', digits = 1) => `${t.median.toFixed(digits)}${unit} (${t.min.toFixed(digits)}-${t.max.toFixed(digits)})`;
const suiteNames = [...new Set([...samples.values()].flatMap((ss) => ss.flatMap((s) => Object.keys(s.suites))))];
process.stdout.write(`\nmedians of ${RUNS} warm run(s), (min-max); suites ${values.suites}, ${process.env.KCONFORM_BENCH_NOTE ?? 'load average given per run on stderr'}\n\n`);
process.stdout.write(`| variant | check phase | wall (process) | peak RSS | sum of check times | ${suiteNames.join(' | ')} | failed checks |\n`);
process.stdout.write(`|---|---|---|---|---|${suiteNames.map(() => '---|').join('')}---|\n`);
for (const v of variants) {
  const ss = samples.get(v.label)!;
  const col = (f: (s: Sample) => number) => summarizeRuns(v.label, ss.map(f));
  const suites = suiteNames.map((n) => fmt(col((s) => s.suites[n] ?? 0)));
  const failed = ss.reduce((a, s) => a + s.failures.length, 0);
  process.stdout.write(`| ${v.label} (--parallel ${v.parallel}) | ${fmt(col((s) => s.checkPhaseS))} | ${fmt(col((s) => s.wallS))} | ${fmt(col((s) => s.rssMB), ' MB', 0)} | ${fmt(col((s) => s.checkSumS))} | ${suites.join(' | ')} | ${failed} |\n`);
}
const goalS = Number(values['check-goal']);
const goalMB = Number(values['rss-goal']);
for (const v of variants) {
  const ss = samples.get(v.label)!;
  const phase = summarizeRuns('', ss.map((s) => s.checkPhaseS)).median;
  const rss = summarizeRuns('', ss.map((s) => s.rssMB)).median;
  const failed = ss.flatMap((s) => s.failures);
  const wall = summarizeRuns('', ss.map((s) => s.wallS)).median;
  const wallGoal = Number(values['wall-goal']);
  const whole = values.conformance ? `wall ${wall <= wallGoal ? 'meets' : 'misses'} the ${wallGoal} s goal; ` : '';
  process.stdout.write(`\n${v.label}: ${whole}check phase ${phase <= goalS ? 'meets' : 'misses'} the ${goalS} s goal; peak RSS ${rss <= goalMB ? 'meets' : 'misses'} ${goalMB} MB; ${failed.length} failed check(s) over ${ss.length} run(s)${failed.length ? `:\n  ${failed.join('\n  ')}` : ''}\n`);
}
