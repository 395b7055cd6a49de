// `kconform validate` time and peak RSS on a small suite, a 1 MB suite, suites at
// the size bound and at the value-count bound, and 10 MB suites the size bound
// refuses (issue 17: a 10 MB suite must stay under 300 MB RSS or be stopped first).
// Each case runs the CLI as a user does (a new process), --runs times; the table
// gives the median, min and max wall time, the median CPU time (user + sys: less
// moved by other work on the machine) and the largest peak RSS (/usr/bin/time).
//
//   npx node bench/validate-bench.ts [--runs 5] [--in-process]   (--in-process: only the loader, no CLI runs)
//
// The machine's load average is printed: on a shared 2-core machine the times
// move with it, the RSS hardly at all.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BOUNDS } from '../harness/suite/input-bounds.ts';
import { SuiteError, loadSuiteFile } from '../harness/suite/load.ts';
import { summarizeRuns } from './timing.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'in-process': { type: 'boolean', default: false } } });
const RUNS = Math.max(1, Number(values.runs));
const repo = path.resolve(import.meta.dirname, '..');
const bin = path.join(repo, 'harness', 'cli', 'bin.js');
if (!existsSync('/usr/bin/time')) throw new Error('needs /usr/bin/time (apt-get install time) for the peak RSS');

const HEAD = 'name: big\nchecks:\n  - kind: nodes\n';
const LINE = '      the quick brown fox jumps over the lazy dog, again and again\n';

/** A suite of `bytes` (at most), made of inline ConfigMap fixtures of 128 KiB each: few values, many bytes. */
function fixtureSuite(bytes: number): string {
  let out = `${HEAD}fixtures:\n`;
  let i = 0;
  while (out.length < bytes) {
    const head = `  - inline: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: { name: cm-${i++} }\n      data:\n        text: |\n`;
    const room = bytes - out.length - head.length;
    if (room < LINE.length * 2) break;
    const lines = Math.min(Math.floor(room / (LINE.length + 4)), Math.floor((128 * 1024) / (LINE.length + 4)));
    out += head + `    ${LINE}`.repeat(lines);
  }
  return out;
}

/** A suite of many small checks: many values, few bytes each (close to the value bound). */
function checksSuite(count: number): string {
  const checks = Array.from({ length: count }, (_, i) => `  - kind: nodes\n    name: nodes-${i}\n    count: 3\n    workers: 2\n    settle: 5s\n    hint: look at node ${i}\n`);
  return `name: many\nchecks:\n${checks.join('')}`;
}

const cases: { name: string; text: string }[] = [
  { name: 'small (suites/nodes.yaml)', text: '' },
  { name: '1 MB, inline fixtures', text: fixtureSuite(1_000_000) },
  { name: `at the size bound (${BOUNDS.fileBytes} bytes)`, text: fixtureSuite(BOUNDS.fileBytes) },
  { name: '1,500 checks (near the value bound)', text: checksSuite(1_500) },
  { name: '10 MB, inline fixtures (refused)', text: fixtureSuite(10 * 1024 * 1024) },
  { name: '10 MB, one multi-line string (refused)', text: `${HEAD}description: "${LINE.repeat(Math.ceil((10 << 20) / LINE.length))}"\n` },
];

async function once(file: string): Promise<{ seconds: number; cpuSeconds: number; rssMb: number; code: number; first: string }> {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '__rss_kb %M __cpu %U %S', process.execPath, bin, 'validate', file], { cwd: repo, env: { ...process.env, CI: 'true' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((ok) => child.on('close', (c) => ok(c ?? -1)));
  const seconds = (performance.now() - t0) / 1000;
  const rss = Number(/__rss_kb (\d+)/.exec(out)?.[1] ?? 0) / 1024;
  const cpu = /__cpu ([\d.]+) ([\d.]+)/.exec(out);
  const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN;
  const first = out.split('\n').find((l) => l.trim() !== '' && !l.startsWith('__rss_kb')) ?? '';
  return { seconds, cpuSeconds, rssMb: rss, code, first: first.replace(file, '<file>').slice(0, 110) };
}

const dir = await mkdtemp(path.join(tmpdir(), 'kc-validate-bench-'));
process.stdout.write(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${RUNS} run(s) per case\n\n`);
process.stdout.write('| suite | bytes | exit | wall median (min-max) | CPU median (user+sys) | peak RSS (max) | output |\n|---|---|---|---|---|---|---|\n');
try {
  for (const c of values['in-process'] ? [] : cases) {
    const file = c.text ? path.join(dir, 'suite.yaml') : path.join(repo, 'suites', 'nodes.yaml');
    if (c.text) await writeFile(file, c.text);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(file));
    const t = summarizeRuns(c.name, runs.map((r) => r.seconds));
    const cpu = summarizeRuns(c.name, runs.map((r) => r.cpuSeconds));
    const bytes = c.text ? Buffer.byteLength(c.text) : (await import('node:fs')).statSync(file).size;
    process.stdout.write(`| ${c.name} | ${bytes} | ${runs[0]!.code} | ${t.median.toFixed(2)} s (${t.min.toFixed(2)}-${t.max.toFixed(2)}) | ${cpu.median.toFixed(2)} s | ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB | ${runs[0]!.first.replace(/\|/g, '\\|')} |\n`);
  }
  // The same loader in this process, without kconform's start-up: how long the bounds take to say no.
  const hostile: { name: string; text: string }[] = [
    { name: '40,000 aliases (509 KB)', text: `- &a x\n${'- *a\n'.repeat(40_000)}` },
    { name: '10,000 nesting levels', text: `${HEAD}vars:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` },
    { name: '20,000-key map', text: `${HEAD}extra:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: ${i}`).join('\n')}\n` },
    { name: '1,000-key map (at the key bound)', text: `${HEAD}vars:\n${Array.from({ length: 1_000 }, (_, i) => `  k${i}: ${i}`).join('\n')}\n` },
    { name: '10 MB suite', text: fixtureSuite(10 * 1024 * 1024) },
    { name: 'at the size bound', text: fixtureSuite(BOUNDS.fileBytes) },
  ];
  process.stdout.write('\nIn process (loadSuiteFile, no start-up), median of 5:\n\n| suite | result | ms |\n|---|---|---|\n');
  for (const c of hostile) {
    const file = path.join(dir, 'hostile.yaml');
    await writeFile(file, c.text);
    const ms: number[] = [];
    let result = '';
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      result = await loadSuiteFile(file).then(
        () => 'valid',
        (e: unknown) => (e instanceof SuiteError ? `exit 2: ${e.problems[0]!.message.slice(0, 70)}` : `INTERNAL: ${String(e)}`),
      );
      ms.push(performance.now() - t0);
    }
    process.stdout.write(`| ${c.name} | ${result} | ${summarizeRuns(c.name, ms).median.toFixed(1)} |\n`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
