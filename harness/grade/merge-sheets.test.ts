import { describe, expect, it } from 'vitest';
import { mergeSheets } from './merge-sheets.ts';
import { flagStudents, type ScoreSheet, type StudentGrade } from './scores.ts';

const student = (name: string, uid: string, points: number): StudentGrade => ({
  student: name, kubeconfig: `students/${name}.yaml`, outcome: 'graded', points, max: 3, checks: [{ id: 'lab/a', status: 'pass', earned: points, max: 3, reason: 'ok' }],
  cluster: { uid }, flags: [], durationMs: 1000, reportDir: `reports/grades/${name}`,
});
const sheet = (students: StudentGrade[], shard?: { index: number; total: number }): ScoreSheet => ({
  title: 'Scores: lab', generatedAt: '2026-12-02T11:00:00.000Z', readOnly: true, columns: [{ id: 'lab/a', name: 'a', suite: 'lab', kind: 'assert', points: 3 }],
  students: flagStudents(students), durationMs: 5000, ...(shard ? { shard } : {}),
});

describe('merging score sheets of grade --shard', () => {
  it('gives the sheet one machine would write: file-name order, shared clusters found across shards', () => {
    const all = [student('ann', 'u1', 3), student('bob', 'u2', 1), student('cat', 'u3', 2), student('dan', 'u1', 3)];
    const whole = sheet(all);
    const merged = mergeSheets([
      { source: 'b', sheet: sheet(all.slice(2), { index: 2, total: 2 }) },
      { source: 'a', sheet: sheet(all.slice(0, 2), { index: 1, total: 2 }) },
    ]);
    expect(merged.students).toEqual(whole.students);
    expect(merged.students.find((s) => s.student === 'dan')?.flags).toEqual(['same cluster UID as ann']);
    expect(merged.shard).toBeUndefined();
  });

  it('refuses a missing shard, a student in two shards and different assignments', () => {
    const a = sheet([student('ann', 'u1', 3)], { index: 1, total: 2 });
    expect(() => mergeSheets([{ source: 'a', sheet: a }])).toThrow(/shard\(s\) 2\/2 missing/);
    expect(() => mergeSheets([{ source: 'a', sheet: a }, { source: 'b', sheet: { ...a, shard: { index: 2, total: 2 } } }])).toThrow(/student ann is graded in a and in b/);
    expect(() => mergeSheets([{ source: 'a', sheet: a }, { source: 'b', sheet: { ...sheet([], { index: 2, total: 2 }), columns: [] } }])).toThrow(/grades other checks/);
  });
});
