// CLI start-up benchmark (issue #20, item 4): whole-process wall time and peak RSS of
// `kconform --version`, `--help`, `validate` of a small suite and `run --help`, through the
// installed bin (what `npx kconform` runs after npx's own start). Not a test: it
// prints a table of medians over --runs runs (after one warm-up), with the goals.
//   npx node bench/cli-start.ts [--runs 10] [--bin path/to/kconform] [--path-node]
// --bin times another checkout's bin (e.g. an older commit extracted with git archive).
// --path-node puts the bin's node_modules/.bin first on PATH, as npx and npm scripts
// do, so `#!/usr/bin/env node` finds the Node of node_modules instead of the system's.
// Peak RSS comes from GNU time (Debian: `apt-get install time`): the largest process of
// the run, which for a re-executed Node is the larger of the two.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { summarizeRuns } from './timing.ts';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(flag('--runs') ?? 10) || 10;
const bin = path.resolve(flag('--bin') ?? path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'kconform'));
const root = path.resolve(path.dirname(bin), '..', '..');
const suite = path.join(import.meta.dirname, '..', 'suites', 'nodes.yaml');
const GNU_TIME = '/usr/bin/time';
const haveTime = existsSync(GNU_TIME);

const env: Record<string, string> = {};
if (args.includes('--path-node')) env.PATH = `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`;

interface Case {
  label: string;
  argv: string[];
  goalMs: number;
}
const cases: Case[] = [
  { label: 'kconform --version', argv: ['--version'], goalMs: 200 },
  { label: 'kconform --help', argv: ['--help'], goalMs: 200 },
  { label: 'kconform validate suites/nodes.yaml', argv: ['validate', suite], goalMs: 400 },
  // No goal in the issue: a command's help should not load what only its action needs.
  { label: 'kconform run --help', argv: ['run', '--help'], goalMs: 200 },
];
const GOAL_MB = 100;

/** One run: wall seconds measured here; peak RSS (MiB) and CPU seconds from GNU time when present. */
async function once(argv: string[]): Promise<{ secs: number; mib?: number; cpu?: number }> {
  const t0 = performance.now();
  const r = haveTime
    ? await execa(GNU_TIME, ['-f', 'KCONFORM_BENCH=%M %U %S', bin, ...argv], { reject: false, all: true, env })
    : await execa(bin, argv, { reject: false, all: true, env });
  const secs = (performance.now() - t0) / 1000;
  const out = String(r.all ?? '');
  if (r.exitCode !== 0) throw new Error(`${bin} ${argv.join(' ')} failed (exit ${r.exitCode}):\n${out.split('\n').slice(-10).join('\n')}`);
  const m = /KCONFORM_BENCH=(\d+) ([\d.]+) ([\d.]+)/.exec(out);
  return { secs, ...(m ? { mib: Number(m[1]) / 1024, cpu: Number(m[2]) + Number(m[3]) } : {}) };
}

const nodeFound = (await execa('sh', ['-c', 'command -v node && node --version'], { env, reject: false })).stdout.replace('\n', ' ');
process.stdout.write(`bin: ${bin}\nnode on PATH: ${nodeFound}\nruns: ${runs} (+1 warm-up) each\n`);
if (!haveTime) process.stdout.write(`peak RSS not measured: ${GNU_TIME} is missing (apt-get install time)\n`);
// CPU time (user + system) is printed too: on a busy machine wall time waits for a core.
process.stdout.write('\n| command | wall median | min | max | goal | CPU median | peak RSS median (max) | goal |\n|---|---|---|---|---|---|---|---|\n');
for (const c of cases) {
  await once(c.argv);
  const secs: number[] = [];
  const mibs: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await once(c.argv);
    secs.push(r.secs);
    if (r.mib !== undefined) mibs.push(r.mib);
    if (r.cpu !== undefined) cpus.push(r.cpu * 1000);
  }
  const t = summarizeRuns(c.label, secs.map((s) => s * 1000));
  const m = mibs.length ? summarizeRuns(c.label, mibs) : undefined;
  const rss = m ? `${m.median.toFixed(0)} MiB (${m.max.toFixed(0)})` : 'n/a';
  const cpu = cpus.length ? `${summarizeRuns(c.label, cpus).median.toFixed(0)} ms` : 'n/a';
  process.stdout.write(`| ${c.label} | ${t.median.toFixed(0)} ms | ${t.min.toFixed(0)} | ${t.max.toFixed(0)} | ≤ ${c.goalMs} ms | ${cpu} | ${rss} | ≤ ${GOAL_MB} MiB |\n`);
}
