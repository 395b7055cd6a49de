// kconform merge for runs: shards cut as `run --shard` cuts them, merged, give
// the reports the unsharded run gives (JUnit, results.json and HTML), and
// incomplete or mismatched parts are refused.
import { describe, expect, it } from 'vitest';
import { summarize, worstStatus, type RunResult, type SuiteResult } from '../results/model.ts';
import { shardSlice } from '../plan/select.ts';
import { check, sampleRun, sampleSuite } from './testing/sample-run.ts';
import { mergeRuns, withShard } from './merge.ts';
import { renderJunit } from './junit.ts';
import { renderJson } from './json.ts';
import { renderHtml } from './html.ts';

function unsharded(): RunResult {
  const net = sampleSuite();
  const life: SuiteResult = {
    name: 'life', file: 'suites/life.yaml', namespace: 'kconform-life-r7f3a', status: 'pass', durationMs: 0, errors: [],
    checks: [check('api', { suite: 'life', durationMs: 700 }), check('drain', { suite: 'life', status: 'fail', reason: 'node left cordoned', durationMs: 900, points: { earned: 0, max: 2 } })],
  };
  const suites = [net, life].map((s) => ({ ...s, status: worstStatus(s.checks.map((c) => c.status)), durationMs: s.checks.reduce((n, c) => n + c.durationMs, 0) }));
  return sampleRun({ suites, summary: summarize(suites) });
}

/** What machine i of n would report: its contiguous part of the checks, in plan order. */
function shardOf(run: RunResult, index: number, total: number): RunResult {
  const mine = new Set(shardSlice(run.suites.flatMap((s) => s.checks.map((c) => c.id)), { index, total }));
  const suites = run.suites
    .map((s) => {
      const checks = s.checks.filter((c) => mine.has(c.id));
      return { ...s, checks, status: worstStatus(checks.map((c) => c.status)), durationMs: checks.reduce((n, c) => n + c.durationMs, 0) };
    })
    .filter((s) => s.checks.length > 0);
  return withShard({ ...run, runId: `shard${index}`, suites, summary: summarize(suites) }, { index, total });
}

/** The run-level id and times differ between machines by nature; everything else must not. */
const sameRun = (r: RunResult) => ({ ...r, runId: 'x', startedAt: 'x', finishedAt: 'x', durationMs: 0 });

describe('merging shards', () => {
  it.each([1, 2, 3, 5])('%i shard(s) merged (given in any order) give the unsharded JUnit, results.json and HTML', (total) => {
    const whole = unsharded();
    const parts = Array.from({ length: total }, (_, i) => ({ source: `shard-${i + 1}/results.json`, run: shardOf(whole, i + 1, total) })).reverse();
    const { run } = mergeRuns(parts);
    expect(sameRun(run)).toEqual(sameRun(whole));
    expect(renderJson(sameRun(run))).toBe(renderJson(sameRun(whole)));
    expect(renderJunit(sameRun(run))).toBe(renderJunit(sameRun(whole)));
    expect(renderHtml(sameRun(run))).toBe(renderHtml(sameRun(whole)));
    expect(run.shard).toBeUndefined();
  });

  it('the merged run spans the earliest start to the latest end', () => {
    const whole = unsharded();
    const a = { ...shardOf(whole, 1, 2), startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:00:40.000Z' };
    const b = { ...shardOf(whole, 2, 2), startedAt: '2026-03-01T10:00:05.000Z', finishedAt: '2026-03-01T10:00:50.000Z' };
    const { run } = mergeRuns([{ source: 'a', run: a }, { source: 'b', run: b }]);
    expect(run.durationMs).toBe(50_000);
  });

  it('refuses a missing shard, a shard given twice, mixed shardings and overlapping checks', () => {
    const whole = unsharded();
    const s = (i: number, n: number) => ({ source: `s${i}of${n}`, run: shardOf(whole, i, n) });
    expect(() => mergeRuns([s(1, 3), s(3, 3)])).toThrow(/shard\(s\) 2\/3 missing/);
    expect(() => mergeRuns([s(1, 2), s(1, 2), s(2, 2)])).toThrow(/shard 1\/2 given twice/);
    expect(() => mergeRuns([s(1, 2), s(2, 3)])).toThrow(/different shardings/);
    expect(() => mergeRuns([s(1, 2), { source: 'plain', run: whole }])).toThrow(/plain carry no --shard/);
    expect(() => mergeRuns([{ source: 'a', run: whole }, { source: 'b', run: whole }])).toThrow(/appears in more than one part/);
    expect(() => mergeRuns([])).toThrow(/no results/);
  });
});
