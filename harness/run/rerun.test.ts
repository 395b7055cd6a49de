import { describe, expect, it } from 'vitest';
import { mergeRerun, selectFailed } from './rerun.ts';
import type { CheckResult, RunResult } from '../results/model.ts';
import { RESULTS_SCHEMA_VERSION, summarize } from '../results/model.ts';

const check = (suite: string, name: string, status: CheckResult['status'], runId: string): CheckResult => ({
  id: `${suite}/${name}`, suite, name, kind: 'nodes', status, reason: status, durationMs: 1, startedAt: 't', evidence: [], assertions: [], flaky: false, attempts: [], runId,
});

function run(runId: string, suites: { name: string; checks: CheckResult[] }[]): RunResult {
  const s = suites.map((x) => ({ name: x.name, file: `/s/${x.name}.yaml`, namespace: `kconform-${x.name}-${runId}`, status: 'pass' as const, durationMs: 1, checks: x.checks, errors: [] }));
  return { schemaVersion: RESULTS_SCHEMA_VERSION, tool: { name: 'kconform', version: '0' }, runId, startedAt: 'a', finishedAt: 'b', durationMs: 1, cluster: { name: 'c', provider: 'kind' }, suites: s, interrupted: false, summary: summarize(s) };
}

const previous = run('old', [
  { name: 'net', checks: [check('net', 'pods', 'pass', 'old'), check('net', 'dns', 'fail', 'old'), check('net', 'dist', 'error', 'old')] },
  { name: 'nodes', checks: [check('nodes', 'n', 'pass', 'old')] },
  { name: 'life', checks: [check('life', 'rollout', 'skip', 'old')] },
]);

describe('selectFailed', () => {
  it('picks exactly the failed and errored checks, and their suite files', () => {
    const sel = selectFailed(previous);
    expect([...sel.ids]).toEqual(['net/dns', 'net/dist']);
    expect(sel.files).toEqual(['/s/net.yaml']);
  });
});

describe('mergeRerun', () => {
  it('replaces rerun checks, keeps the others with their original run id, and recounts', () => {
    const current = run('new', [{ name: 'net', checks: [check('net', 'dns', 'pass', 'new'), check('net', 'dist', 'fail', 'new')] }]);
    const merged = mergeRerun(previous, current);
    expect(merged.rerunOf).toBe('old');
    expect(merged.runId).toBe('new');
    expect(merged.suites[0]?.checks.map((c) => `${c.name}:${c.status}:${c.runId}`)).toEqual(['pods:pass:old', 'dns:pass:new', 'dist:fail:new']);
    expect(merged.suites[0]?.status).toBe('fail');
    expect(merged.suites[1]?.checks[0]?.runId).toBe('old');
    expect(merged.summary).toEqual({ total: 5, passed: 3, failed: 1, errored: 0, skipped: 1, flaky: 0 });
  });
});
