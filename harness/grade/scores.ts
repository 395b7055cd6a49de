// The score sheet as data: one row per student, one column per planned check.
// Built from a student's RunResult (or from the reason a cluster could not be
// graded), then the rows are compared for shared cluster UIDs. Pure; the
// writers (CSV, Markdown) and the batch runner are separate modules.
import type { CheckResult, RunResult, Status } from '../results/model.ts';
import { withBuiltInHints } from './hints.ts';

/** A graded column: a planned check, its points, and whether the whole batch skips it. */
export interface Column {
  id: string;
  name: string;
  suite: string;
  kind: string;
  /** Points the check is worth (0 when it carries none). */
  points: number;
  /** Set when no student can be graded on it in this batch (suite skip, or destructive in read-only mode). */
  skipReason?: string;
}

export interface CheckGrade {
  id: string;
  status: Status | 'not run';
  earned: number;
  max: number;
  reason: string;
  hint?: string;
}

export type Outcome = 'graded' | 'unreachable' | 'interrupted';

export interface StudentGrade {
  student: string;
  /** The kubeconfig file graded (a path; never its contents). */
  kubeconfig: string;
  outcome: Outcome;
  /** For unreachable and interrupted: why, in one line. */
  reason?: string;
  points: number;
  max: number;
  checks: CheckGrade[];
  cluster?: { uid?: string; kubernetesVersion?: string; nodes?: number; cni?: string; cri?: string };
  /** Problems a grader should look at, e.g. a cluster UID another student also has. */
  flags: string[];
  durationMs: number;
  /** Where this student's JUnit/JSON/evidence were written. */
  reportDir: string;
}

export interface ScoreSheet {
  title: string;
  generatedAt: string;
  readOnly: boolean;
  columns: Column[];
  students: StudentGrade[];
  durationMs: number;
  /** grade --shard i/n: this sheet holds part `index` of `total` of the class (kconform merge joins them). */
  shard?: { index: number; total: number };
}

/** The most a student can earn: the points of every column not skipped for the whole batch. */
export function maxPoints(columns: Column[]): number {
  return round(columns.filter((c) => !c.skipReason).reduce((n, c) => n + c.points, 0));
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A graded student from their run; checks missing from the run (timeout, interrupt) count as not run. */
export function gradeFromRun(
  base: Pick<StudentGrade, 'student' | 'kubeconfig' | 'reportDir' | 'durationMs'>,
  columns: Column[],
  run: RunResult,
  stoppedBecause?: string,
): StudentGrade {
  const results = new Map<string, CheckResult>(run.suites.flatMap((s) => s.checks).map((c) => [c.id, withBuiltInHints(c)]));
  const checks = columns.map((col): CheckGrade => {
    const r = results.get(col.id);
    if (!r) return { id: col.id, status: 'not run', earned: 0, max: col.skipReason ? 0 : col.points, reason: stoppedBecause ?? 'not run' };
    return {
      id: col.id,
      status: r.status,
      earned: round(r.points?.earned ?? (r.status === 'pass' ? col.points : 0)),
      max: col.skipReason ? 0 : col.points,
      reason: r.reason,
      ...(r.hint !== undefined && r.status !== 'pass' && r.status !== 'skip' ? { hint: r.hint } : {}),
    };
  });
  const c = run.cluster;
  return {
    ...base,
    outcome: run.interrupted || stoppedBecause ? 'interrupted' : 'graded',
    ...(stoppedBecause ? { reason: stoppedBecause } : {}),
    points: round(checks.reduce((n, x) => n + x.earned, 0)),
    max: maxPoints(columns),
    checks,
    cluster: {
      ...(c.uid ? { uid: c.uid } : {}),
      ...(c.kubernetesVersion ? { kubernetesVersion: c.kubernetesVersion } : {}),
      ...(c.nodes !== undefined ? { nodes: c.nodes } : {}),
      ...(c.cni ? { cni: c.cni } : {}),
      ...(c.cri ? { cri: c.cri } : {}),
    },
    flags: [],
  };
}

/** A student whose cluster could not be graded at all: 0 points, every check not run with the reason. */
export function ungradable(base: Pick<StudentGrade, 'student' | 'kubeconfig' | 'reportDir' | 'durationMs'>, columns: Column[], reason: string): StudentGrade {
  return {
    ...base,
    outcome: 'unreachable',
    reason,
    points: 0,
    max: maxPoints(columns),
    checks: columns.map((col) => ({ id: col.id, status: 'not run', earned: 0, max: col.skipReason ? 0 : col.points, reason })),
    flags: [],
  };
}

/**
 * Flags students whose clusters share a UID (the kube-system namespace UID: one
 * cluster graded under two names), and graded clusters whose UID could not be read.
 */
export function flagStudents(students: StudentGrade[]): StudentGrade[] {
  const byUid = new Map<string, string[]>();
  for (const s of students) {
    const uid = s.cluster?.uid;
    if (uid) byUid.set(uid, [...(byUid.get(uid) ?? []), s.student]);
  }
  return students.map((s) => {
    const flags = [...s.flags];
    const uid = s.cluster?.uid;
    const same = uid ? (byUid.get(uid) ?? []).filter((x) => x !== s.student) : [];
    if (same.length) flags.push(`same cluster UID as ${same.join(', ')}`);
    if (s.outcome !== 'unreachable' && !uid) flags.push('cluster UID unknown (kube-system namespace not readable)');
    return { ...s, flags };
  });
}

/** Groups of students sharing a cluster UID, for the sheet's summary. */
export function sharedClusters(students: StudentGrade[]): { uid: string; students: string[] }[] {
  const byUid = new Map<string, string[]>();
  for (const s of students) if (s.cluster?.uid) byUid.set(s.cluster.uid, [...(byUid.get(s.cluster.uid) ?? []), s.student]);
  return [...byUid.entries()].filter(([, list]) => list.length > 1).map(([uid, list]) => ({ uid, students: list }));
}
