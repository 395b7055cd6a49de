// Sharding on a real cluster, as a CI matrix would do it: the same selection run
// once unsharded and as n shards (`run --shard i/n`, one after the other or
// --concurrent), the shards joined with `kconform merge`, and the merged
// results.json compared with the unsharded one check by check (verdict and
// points). Prints the time of each run and the comparison as Markdown.
//
//   npx node bench/shard-merge.ts --kubeconfig K [--shards 3] [--concurrent] [--out DIR] -- suites/network.yaml suites/nodes.yaml [-l ...]
//
// Everything after -- is passed to every `kconform run` (suites and selection).
import { mkdtemp, readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { RunResult } from '../harness/results/model.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kubeconfig: { type: 'string', default: process.env.KUBECONFIG ?? '' },
    shards: { type: 'string', default: '3' },
    concurrent: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
if (!values.kubeconfig) throw new Error('give --kubeconfig (or set KUBECONFIG)');
const n = Number(values.shards);
const out = values.out ?? (await mkdtemp(path.join(tmpdir(), 'kconform-shard-bench-')));
const bin = path.join(import.meta.dirname, '..', 'harness', 'cli', 'bin.js');

async function kconform(args: string[]): Promise<{ ms: number; code: number | undefined; stderr: string }> {
  const t0 = Date.now();
  const r = await execa('node', [bin, ...args], { reject: false, preferLocal: true, env: { CI: 'true' } });
  return { ms: Date.now() - t0, code: r.exitCode, stderr: String(r.stderr) };
}
const run = (dir: string, extra: string[] = []) => kconform(['run', ...positionals, '--kubeconfig', values.kubeconfig!, '-o', path.join(out, dir), ...extra]);
const results = async (dir: string) => JSON.parse(await readFile(path.join(out, dir, 'results.json'), 'utf8')) as RunResult;

process.stdout.write(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; output in ${out}\n`);
const whole = await run('whole');
process.stdout.write(`unsharded: exit ${whole.code}, ${(whole.ms / 1000).toFixed(1)} s\n`);
const shardRuns = values.concurrent
  ? await Promise.all(Array.from({ length: n }, (_, i) => run(`shard-${i + 1}`, ['--shard', `${i + 1}/${n}`])))
  : await (async () => {
      const done = [];
      for (let i = 1; i <= n; i++) done.push(await run(`shard-${i}`, ['--shard', `${i}/${n}`]));
      return done;
    })();
const merged = await kconform(['merge', ...Array.from({ length: n }, (_, i) => path.join(out, `shard-${i + 1}`)), '-o', path.join(out, 'merged')]);
process.stdout.write(`merge: exit ${merged.code}, ${(merged.ms / 1000).toFixed(1)} s${merged.stderr ? ` (${merged.stderr.trim()})` : ''}\n\n`);

const a = await results('whole');
const b = await results('merged');
const flat = (r: RunResult) => new Map(r.suites.flatMap((s) => s.checks.map((c) => [c.id, c] as const)));
const wa = flat(a);
const wb = flat(b);
const rows: string[] = [];
let same = 0;
for (const id of new Set([...wa.keys(), ...wb.keys()])) {
  const x = wa.get(id);
  const y = wb.get(id);
  const pts = (c: typeof x) => (c?.points ? `${c.points.earned}/${c.points.max}` : '-');
  const equal = x?.status === y?.status && pts(x) === pts(y);
  if (equal) same++;
  rows.push(`| ${id} | ${x?.status ?? 'absent'} | ${y?.status ?? 'absent'} | ${pts(x)} | ${pts(y)} | ${equal ? 'same' : '**differs**'} |`);
}
const order = (r: RunResult) => r.suites.flatMap((s) => s.checks.map((c) => c.id)).join(',');
process.stdout.write(`| run | checks | exit | wall time |\n|---|---|---|---|\n`);
process.stdout.write(`| unsharded | ${a.summary.total} | ${whole.code} | ${(whole.ms / 1000).toFixed(1)} s |\n`);
for (const [i, r] of shardRuns.entries()) {
  const s = await results(`shard-${i + 1}`);
  process.stdout.write(`| shard ${i + 1}/${n} | ${s.summary.total} | ${r.code} | ${(r.ms / 1000).toFixed(1)} s |\n`);
}
process.stdout.write(`| merged | ${b.summary.total} | ${merged.code} | - |\n\n`);
process.stdout.write(`| check | unsharded | merged | points unsharded | points merged | |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n\n`);
process.stdout.write(`${same}/${rows.length} checks with the same verdict and points; same check order: ${order(a) === order(b) ? 'yes' : 'no'}; summaries ${JSON.stringify(a.summary) === JSON.stringify(b.summary) ? 'equal' : `differ (${JSON.stringify(a.summary)} vs ${JSON.stringify(b.summary)})`}\n`);
process.stdout.write(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
process.exitCode = same === rows.length ? 0 : 1;
