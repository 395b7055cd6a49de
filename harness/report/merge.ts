// `kconform merge` for runs: the results.json of each shard (--shard i/n) -> the
// one result a single machine would have written. Shards are contiguous parts
// of the plan (plan/select.ts shardSlice), so putting them back in shard order
// and joining a suite split across two shards restores the plan's order. Pure.
import type { RunResult, SuiteResult } from '../results/model.ts';
import { summarize, worstStatus } from '../results/model.ts';

export function withShard(r: RunResult, shard: { index: number; total: number } | undefined): RunResult {
  return shard ? { ...r, shard: { index: shard.index, total: shard.total } } : r;
}

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

export interface MergedRun {
  run: RunResult;
  /** Things worth a line on stderr (different clusters, parts without shard info). */
  notes: string[];
}

/** `parts[i].source` names the file in errors. */
export function mergeRuns(parts: { source: string; run: RunResult }[]): MergedRun {
  if (parts.length === 0) throw new MergeError('no results to merge');
  const notes: string[] = [];
  const sharded = parts.filter((p) => p.run.shard);
  let ordered = parts;
  if (sharded.length === parts.length) {
    const totals = new Set(parts.map((p) => p.run.shard!.total));
    if (totals.size > 1) throw new MergeError(`the results come from different shardings: ${parts.map((p) => `${p.source} is ${p.run.shard!.index}/${p.run.shard!.total}`).join(', ')}`);
    const total = [...totals][0]!;
    const byIndex = new Map<number, string>();
    for (const p of parts) {
      const other = byIndex.get(p.run.shard!.index);
      if (other) throw new MergeError(`shard ${p.run.shard!.index}/${total} given twice: ${other} and ${p.source}`);
      byIndex.set(p.run.shard!.index, p.source);
    }
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length) throw new MergeError(`shard(s) ${missing.map((i) => `${i}/${total}`).join(', ')} missing: the merged report would lack their checks (given: ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${total}`).join(', ')})`);
    ordered = [...parts].sort((a, b) => a.run.shard!.index - b.run.shard!.index);
  } else if (sharded.length > 0) {
    throw new MergeError(`some results are shards and some are not: ${parts.filter((p) => !p.run.shard).map((p) => p.source).join(', ')} carry no --shard`);
  } else {
    notes.push('the results carry no shard numbers: merged in the order given');
  }

  const suites: SuiteResult[] = [];
  const seenIds = new Set<string>();
  for (const { source, run } of ordered) {
    for (const s of run.suites) {
      for (const c of s.checks) {
        if (seenIds.has(c.id)) throw new MergeError(`check ${c.id} appears in more than one part (again in ${source}): were the shards run with the same suites and flags?`);
        seenIds.add(c.id);
      }
      const last = suites[suites.length - 1];
      if (last && last.name === s.name) {
        // One suite split over two shards: one suite again, as an unsharded run reports it.
        const checks = [...last.checks, ...s.checks];
        suites[suites.length - 1] = { ...last, checks, durationMs: last.durationMs + s.durationMs, errors: [...new Set([...last.errors, ...s.errors])], status: worstStatus([...checks.map((c) => c.status), ...(last.errors.length || s.errors.length ? ['error' as const] : [])]) };
      } else if (suites.some((x) => x.name === s.name)) {
        throw new MergeError(`suite ${s.name} appears in parts that are not next to each other (${source}): were the shards run with the same suites?`);
      } else {
        suites.push(s);
      }
    }
  }
  const first = ordered[0]!.run;
  const uids = new Set(ordered.map((p) => p.run.cluster.uid ?? '?'));
  if (uids.size > 1) notes.push(`the parts ran on ${uids.size} different clusters (one per CI machine?); the report shows the first one's details`);
  const startedAt = ordered.map((p) => p.run.startedAt).sort()[0]!;
  const finishedAt = ordered.map((p) => p.run.finishedAt).sort().at(-1)!;
  const { shard: _shard, rerunOf: _rerun, ...rest } = first;
  const run: RunResult = {
    ...rest,
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    suites,
    interrupted: ordered.some((p) => p.run.interrupted),
    summary: summarize(suites),
  };
  return { run, notes };
}
