// `kconform merge` for grading: the scores.json of each shard (grade --shard
// i/n, split by student) -> the score sheet one machine would have written:
// students in file-name order, and shared-cluster flags checked again across
// the whole class (two students in different shards may share a cluster). Pure.
import path from 'node:path';
import { flagStudents, type ScoreSheet, type StudentGrade } from './scores.ts';

export class SheetMergeError extends Error {
  override readonly name = 'SheetMergeError';
}

const CROSS_FLAGS = [/^same cluster UID as /, /^cluster UID unknown/];

export function mergeSheets(parts: { source: string; sheet: ScoreSheet }[]): ScoreSheet {
  if (parts.length === 0) throw new SheetMergeError('no score sheets to merge');
  const first = parts[0]!.sheet;
  const columnsOf = (s: ScoreSheet) => s.columns.map((c) => `${c.id}:${c.points}:${c.skipReason ?? ''}`).join('|');
  for (const p of parts) {
    if (columnsOf(p.sheet) !== columnsOf(first)) throw new SheetMergeError(`${p.source} grades other checks than ${parts[0]!.source}: were the shards run with the same --suite and flags?`);
    if (p.sheet.readOnly !== first.readOnly) throw new SheetMergeError(`${p.source} was graded ${p.sheet.readOnly ? 'read-only' : 'read-write'}, ${parts[0]!.source} not`);
  }
  const shards = parts.map((p) => p.sheet.shard);
  if (shards.every(Boolean)) {
    const total = shards[0]!.total;
    const have = new Set(shards.map((s) => s!.index));
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !have.has(i));
    if (shards.some((s) => s!.total !== total)) throw new SheetMergeError('the score sheets come from different shardings');
    if (have.size !== parts.length) throw new SheetMergeError('a shard is given twice');
    if (missing.length) throw new SheetMergeError(`shard(s) ${missing.map((i) => `${i}/${total}`).join(', ')} missing: their students would be left off the sheet`);
  }
  const students: StudentGrade[] = [];
  const seen = new Map<string, string>();
  for (const p of parts) {
    for (const s of p.sheet.students) {
      const other = seen.get(s.student);
      if (other) throw new SheetMergeError(`student ${s.student} is graded in ${other} and in ${p.source}`);
      seen.set(s.student, p.source);
      students.push({ ...s, flags: s.flags.filter((f) => !CROSS_FLAGS.some((re) => re.test(f))) });
    }
  }
  // The order `grade` uses: the kubeconfig files sorted by name.
  students.sort((a, b) => (path.basename(a.kubeconfig) < path.basename(b.kubeconfig) ? -1 : path.basename(a.kubeconfig) > path.basename(b.kubeconfig) ? 1 : 0));
  const { shard: _shard, ...rest } = first;
  return {
    ...rest,
    generatedAt: parts.map((p) => p.sheet.generatedAt).sort().at(-1)!,
    students: flagStudents(students),
    durationMs: Math.max(...parts.map((p) => p.sheet.durationMs)),
  };
}
