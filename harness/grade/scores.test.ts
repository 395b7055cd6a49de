import { describe, expect, it } from 'vitest';
import type { CheckResult, RunResult } from '../results/model.ts';
import { flagStudents, gradeFromRun, maxPoints, sharedClusters, ungradable, type Column, type ScoreSheet } from './scores.ts';
import { csvField, scoreSheetCsv } from './sheet-csv.ts';
import { scoreSheetMarkdown } from './sheet-markdown.ts';

const columns: Column[] = [
  { id: 'lab1/cluster-nodes', name: 'cluster-nodes', suite: 'lab1', kind: 'nodes', points: 5 },
  { id: 'lab1/web-spread', name: 'web-spread', suite: 'lab1', kind: 'http', points: 4 },
  { id: 'lab1/node-sysctls', name: 'node-sysctls', suite: 'lab1', kind: 'exec', points: 0, skipReason: 'read-only mode: this check changes the cluster (nodes, taints or labels)' },
];

function result(name: string, status: CheckResult['status'], earned: number, max: number, extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id: `lab1/${name}`, suite: 'lab1', name, kind: 'x', status, reason: status === 'pass' ? 'ok' : `${name} failed`, durationMs: 1, startedAt: '', runId: 'r',
    evidence: [], assertions: [], flaky: false, attempts: [], ...(max ? { points: { earned, max } } : {}), ...extra,
  };
}

function run(checks: CheckResult[], uid: string | undefined, extra: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1, tool: { name: 'kconform', version: '0' }, runId: 'r', startedAt: '', finishedAt: '', durationMs: 1,
    cluster: { name: 'x', provider: 'kubeconfig', kubernetesVersion: 'v1.37.2', nodes: 3, ...(uid ? { uid } : {}) },
    suites: [{ name: 'lab1', file: '', namespace: 'ns', status: 'fail', durationMs: 1, checks, errors: [] }],
    interrupted: false, summary: { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }, ...extra,
  };
}

const base = (student: string) => ({ student, kubeconfig: `k/${student}.yaml`, reportDir: `reports/grades/${student}`, durationMs: 1000 });

describe('grades', () => {
  it('max counts the columns every student is graded on; a batch-wide skip is worth nothing', () => {
    expect(maxPoints(columns)).toBe(9);
  });

  it('a student from their run: earned points per check, built-in hints on failures', () => {
    const g = gradeFromRun(base('bob'), columns, run([
      result('cluster-nodes', 'pass', 5, 5),
      result('web-spread', 'fail', 0, 4, { reason: 'Service web (ns lab1) has no ready endpoints: its selector app=wbe matches no pod', hint: 'Check the selector.' }),
      result('node-sysctls', 'skip', 0, 0),
    ], 'uid-1'));
    expect(g).toMatchObject({ outcome: 'graded', points: 5, max: 9, cluster: { uid: 'uid-1', kubernetesVersion: 'v1.37.2', nodes: 3 } });
    expect(g.checks[1]).toMatchObject({ status: 'fail', earned: 0, max: 4 });
    expect(g.checks[1]?.hint).toMatch(/^Check the selector\.\n\[Service selector matches no pod\] /);
    expect(g.checks[2]).toMatchObject({ status: 'skip', earned: 0, max: 0 });
  });

  it('a run stopped by the per-cluster timeout: what did not run is 0, with the reason', () => {
    const g = gradeFromRun(base('carol'), columns, run([result('cluster-nodes', 'pass', 5, 5)], 'uid-2', { interrupted: true }), 'stopped by the per-cluster timeout (900s)');
    expect(g.outcome).toBe('interrupted');
    expect(g.checks[1]).toEqual({ id: 'lab1/web-spread', status: 'not run', earned: 0, max: 4, reason: 'stopped by the per-cluster timeout (900s)' });
    expect(g.points).toBe(5);
  });

  it('an unreachable cluster: 0 of the same max, every check with the reason', () => {
    const g = ungradable(base('dave'), columns, 'cluster unreachable: https://127.0.0.1:1: connection refused');
    expect(g).toMatchObject({ outcome: 'unreachable', points: 0, max: 9 });
    expect(g.checks.every((c) => c.reason.startsWith('cluster unreachable'))).toBe(true);
  });

  it('flags students who share a cluster UID, and graded clusters whose UID is unknown', () => {
    const students = flagStudents([
      gradeFromRun(base('alice'), columns, run([], 'same')),
      gradeFromRun(base('bob'), columns, run([], 'same')),
      gradeFromRun(base('erin'), columns, run([], undefined)),
      ungradable(base('dave'), columns, 'cluster unreachable: x'),
    ]);
    expect(students.map((s) => s.flags)).toEqual([['same cluster UID as bob'], ['same cluster UID as alice'], ['cluster UID unknown (kube-system namespace not readable)'], []]);
    expect(sharedClusters(students)).toEqual([{ uid: 'same', students: ['alice', 'bob'] }]);
  });
});

describe('score sheet writers', () => {
  const students = flagStudents([
    gradeFromRun(base('alice'), columns, run([result('cluster-nodes', 'pass', 5, 5), result('web-spread', 'pass', 4, 4), result('node-sysctls', 'skip', 0, 0)], 'u-1')),
    gradeFromRun(base('bob'), columns, run([result('cluster-nodes', 'pass', 5, 5), result('web-spread', 'fail', 3, 4, { reason: 'at least 3 ready endpoint(s): the Service has 1, "quoted"', hint: 'Scale to 3, then check.' })], 'u-1')),
    ungradable(base('dave'), columns, 'cluster unreachable: https://127.0.0.1:1: connection refused'),
  ]);
  const sheet: ScoreSheet = { title: 'Scores: lab1', generatedAt: '2026-11-23T12:00:00.000Z', readOnly: true, columns, students, durationMs: 125_000 };

  it('CSV: a header, then one row per student with each check result, points and hint', () => {
    const lines = scoreSheetCsv(sheet).split('\r\n');
    expect(lines[0]).toBe('student,points,max,percent,outcome,reason,cluster_uid,kubernetes_version,nodes,flags,cluster-nodes result,cluster-nodes points,cluster-nodes hint,web-spread result,web-spread points,web-spread hint,node-sysctls result,node-sysctls points,node-sysctls hint');
    const skip = '"skip: read-only mode: this check changes the cluster (nodes, taints or labels)"';
    expect(lines[1]).toBe(`alice,9,9,100,graded,,u-1,v1.37.2,3,same cluster UID as bob,pass,5,,pass,4,,${skip},,`);
    expect(lines[2]).toBe(`bob,8,9,88.9,graded,,u-1,v1.37.2,3,same cluster UID as alice,pass,5,,fail,3,"Scale to 3, then check.",${skip},,`);
    expect(lines[3]).toMatch(/^dave,0,9,0,unreachable,cluster unreachable: https:\/\/127\.0\.0\.1:1: connection refused,,,,,not run,0,,not run,0,,/);
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    // Each student stays on one line, whatever the hints.
    expect(scoreSheetCsv({ ...sheet, students: [{ ...students[1]!, checks: students[1]!.checks.map((c) => ({ ...c, hint: 'one\ntwo' })) }] }).split('\r\n')[1]).toContain(',one | two,');
  });

  it('Markdown: totals, the check grid, the shared cluster, and each lost point with reason and hint', () => {
    const md = scoreSheetMarkdown(sheet);
    expect(md).toContain('Graded 2026-11-23 12:00:00Z, read-only, 3 students in 2m05s.');
    expect(md).toContain('| alice | 9 | 9 | 100 | `u-1` | v1.37.2 | 3 | **same cluster UID as bob** |');
    expect(md).toContain('| dave | 0 | 9 | 0 | (unreachable) |  |  |  |');
    expect(md).toContain('| bob | ✓ 5 | ✗ 3 | skip |');
    expect(md).toContain('- **alice, bob** graded the same cluster (UID `u-1`).');
    expect(md).toContain('- ✗ **web-spread** (3/4): at least 3 ready endpoint(s): the Service has 1, "quoted"\n  - hint: Scale to 3, then check.');
    expect(md).toContain('### dave: 0/9\n\nNot graded: cluster unreachable: https://127.0.0.1:1: connection refused');
  });
});
