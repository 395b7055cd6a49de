// Times whole commands over several runs: median and range, for the bench/ scripts.
import { execa } from 'execa';

export interface Timing {
  label: string;
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export function summarizeRuns(label: string, runs: number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { label, runs, median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}

export async function timeCommand(label: string, cmd: string, args: string[], runs: number, env: Record<string, string> = {}): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await execa(cmd, args, { reject: false, all: true, env, preferLocal: true });
    const secs = (performance.now() - t0) / 1000;
    if (r.exitCode !== 0) throw new Error(`${label}: ${cmd} ${args.join(' ')} failed (exit ${r.exitCode}):\n${String(r.all ?? '').split('\n').slice(-20).join('\n')}`);
    times.push(secs);
    process.stderr.write(`  ${label} run ${i + 1}/${runs}: ${secs.toFixed(1)}s\n`);
  }
  return summarizeRuns(label, times);
}

export function printTable(rows: Timing[]): void {
  process.stdout.write(`| step | runs | median | min | max |\n|---|---|---|---|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.label} | ${r.runs.length} | ${r.median.toFixed(1)}s | ${r.min.toFixed(1)}s | ${r.max.toFixed(1)}s |\n`);
}
