// Grades many clusters with one suite set: one kubeconfig per student (file
// name = student id), a bounded number at once, each with its own deadline. Each
// student runs the normal runner with their own reporters (JUnit, JSON,
// evidence under <reports>/<student>/); a cluster that cannot be reached, or a
// run that breaks, costs that student the points and never the batch.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { kubeconfigProvider } from '../cluster/kubeconfig-provider.ts';
import { getCheck } from '../checks/registry.ts';
import type { EvidencePolicy, RunOptions } from '../plan/plan.ts';
import type { LoadedSuite } from '../suite/load.ts';
import { NoChecksSelectedError, planRun, runSession } from '../run/session.ts';
import { createReporters } from '../report/registry.ts';
import type { Reporter } from '../report/reporter.ts';
import { redactText } from '../report/redact.ts';
import { writeFileAtomic } from '../report/atomic-write.ts';
import { RESULTS_SCHEMA_VERSION, summarize, type ClusterInfo, type RunResult } from '../results/model.ts';
import { outlineOfResults, resultWithoutVerdict } from '../results/check-result.ts';
import { VERSION } from '../version.ts';
import { HintingReporter } from './hinting-reporter.ts';
import { fixturesOutsideOwnNamespace, planColumns } from './plan-columns.ts';
import { flagStudents, gradeFromRun, ungradable, type Column, type ScoreSheet, type StudentGrade } from './scores.ts';
import { sheetDocument } from './sheet-stdout.ts';
import type { Selection, Shard } from '../plan/select.ts';

export interface BatchOptions {
  suites: LoadedSuite[];
  /** One kubeconfig file per student. */
  kubeconfigs: StudentConfig[];
  /** reports/grades: scores.* here, one folder per student. */
  reportsDir: string;
  parallel: number;
  /** Whole run of one student (connect, checks, cleanup). */
  clusterTimeoutMs: number;
  /** Reading the cluster's identity; an unreachable API server fails here. */
  connectTimeoutMs?: number;
  readOnly: boolean;
  evidence: EvidencePolicy;
  fixturesDir: string;
  images: { agnhost: string };
  /** Only these checks (`<suite>/<check>` substring or /regex/), as `run --filter`. */
  filter?: string;
  /** Cap on assert, exec and http waits, as `run --max-wait`. */
  maxWaitMs?: number;
  /** --grep, --grep-invert, -l, as `run`. */
  selection?: Selection;
  /** Every check's retries (0 with --no-retries). */
  retries?: number;
  /** grade --shard: recorded on the sheet (the caller already kept this shard's students). */
  shard?: Shard;
  signal: AbortSignal;
  /** One line per event worth printing (student started, graded). */
  progress?(line: string): void;
}

export interface StudentConfig {
  student: string;
  file: string;
}

const DEFAULT_CONNECT_MS = 30_000;
const KUBECONFIG_EXT = /\.(ya?ml|kubeconfig|conf|config|json)$/i;

/** The students of a folder: every regular file not starting with a dot; id = name without extension. */
export async function discoverKubeconfigs(dir: string): Promise<StudentConfig[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: StudentConfig[] = [];
  for (const e of entries) {
    const file = path.join(dir, e.name);
    const isFile = e.isFile() || (e.isSymbolicLink() && (await stat(file).catch(() => undefined))?.isFile());
    if (!isFile) continue;
    out.push({ student: studentId(e.name), file });
  }
  // Two files for one id (alice.yaml, alice.conf): keep both under their full names.
  const seen = new Map<string, number>();
  for (const s of out) seen.set(s.student, (seen.get(s.student) ?? 0) + 1);
  return out.map((s) => ((seen.get(s.student) ?? 0) > 1 ? { ...s, student: safeId(path.basename(s.file)) } : s));
}

export function studentId(fileName: string): string {
  return safeId(fileName.replace(KUBECONFIG_EXT, ''));
}

function safeId(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';
}

export interface BatchResult {
  sheet: ScoreSheet;
  files: string[];
}

export async function gradeBatch(o: BatchOptions): Promise<BatchResult> {
  const started = Date.now();
  const options = runOptions(o);
  // A plan without a cluster gives the columns and the read-only guard, before any student.
  const probe = await planRun({ suites: o.suites, runId: 'plan', options, fixturesDir: o.fixturesDir, images: o.images }).catch((err: unknown) => {
    throw err instanceof NoChecksSelectedError ? new GradeInputError(err.message) : err;
  });
  if (o.readOnly) {
    const outside = fixturesOutsideOwnNamespace(probe);
    if (outside.length) {
      throw new GradeInputError(`read-only grading creates nothing outside kconform's namespace, but these fixtures would:\n  ${outside.join('\n  ')}\n(grade with --no-read-only to allow it)`);
    }
  }
  const columns = planColumns(probe, (spec) => getCheck(spec.kind).needs(spec));
  const limit = pLimit(Math.max(1, o.parallel));
  const graded = await Promise.all(o.kubeconfigs.map((s) => limit(() => gradeOne(s, o, options, columns))));
  const sheet: ScoreSheet = {
    title: `Scores: ${[...new Set(probe.suites.map((s) => s.name))].join(', ')}`,
    generatedAt: new Date().toISOString(),
    readOnly: o.readOnly,
    columns,
    students: flagStudents(graded),
    durationMs: Date.now() - started,
    ...(o.shard ? { shard: o.shard } : {}),
  };
  const files = await writeSheet(sheet, o.reportsDir);
  return { sheet, files };
}

export class GradeInputError extends Error {
  override readonly name = 'GradeInputError';
}

function runOptions(o: BatchOptions): RunOptions {
  return {
    parallel: 1,
    keep: 'never',
    readOnly: o.readOnly,
    evidence: o.evidence,
    ...(o.filter ? { filter: o.filter } : {}),
    ...(o.selection ? { selection: o.selection } : {}),
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.maxWaitMs !== undefined ? { maxWaitMs: o.maxWaitMs } : {}),
  };
}

/** One student, start to end, as a run session on their kubeconfig; never throws (a failure is that student's grade). */
export async function gradeOne(s: StudentConfig, o: BatchOptions, options: RunOptions, columns: Column[]): Promise<StudentGrade> {
  const started = Date.now();
  const reportDir = path.join(o.reportsDir, s.student);
  const base = { student: s.student, kubeconfig: s.file, reportDir };
  const progress = o.progress ?? (() => {});
  if (o.signal.aborted) return ungradable({ ...base, durationMs: 0 }, columns, 'not graded: the batch was interrupted');
  await rm(reportDir, { recursive: true, force: true });
  const deadline = AbortSignal.timeout(o.clusterTimeoutMs);
  const signal = AbortSignal.any([o.signal, deadline]);
  const connectMs = o.connectTimeoutMs ?? DEFAULT_CONNECT_MS;
  let unreachable: string | undefined;
  try {
    const { result: run } = await runSession({
      suites: o.suites,
      options,
      fixturesDir: o.fixturesDir,
      images: o.images,
      provider: kubeconfigProvider({ kubeconfig: s.file, name: s.student, connectTimeoutMs: connectMs, factsTimeoutMs: connectMs }),
      reporter: studentReporter(reportDir),
      signal,
      // Read-only by default; --no-read-only is the grader's consent to destructive checks on these clusters.
      allowDisruptive: true,
      onOpened: (h) => progress(`${s.student}: grading ${h.kube.server} (Kubernetes ${h.info.kubernetesVersion}, ${h.info.nodes} nodes)`),
      onOpenFailed: async (err) => {
        unreachable = `cluster unreachable: ${oneLine(err)}`;
        progress(`${s.student}: ${unreachable}`);
        await writeUnreachableReports(reportDir, columns, unreachable, s.student);
      },
    });
    const stopped = deadline.aborted ? `stopped by the per-cluster timeout (${Math.round(o.clusterTimeoutMs / 1000)}s)` : o.signal.aborted ? 'stopped: the batch was interrupted' : undefined;
    const grade = gradeFromRun({ ...base, durationMs: Date.now() - started }, columns, run, stopped);
    progress(`${s.student}: ${grade.points}/${grade.max}${stopped ? ` (${stopped})` : ''}`);
    return grade;
  } catch (err) {
    if (unreachable) return ungradable({ ...base, durationMs: Date.now() - started }, columns, unreachable);
    // The runner itself broke (a bug, a reporter that cannot write): the student is not graded, the batch goes on.
    const reason = `grading failed: ${oneLine(err)}`;
    progress(`${s.student}: ${reason}`);
    return { ...ungradable({ ...base, durationMs: Date.now() - started }, columns, reason), outcome: 'interrupted' };
  }
}

function studentReporter(dir: string): Reporter {
  return new HintingReporter(
    createReporters({
      junit: path.join(dir, 'junit.xml'),
      json: path.join(dir, 'results.json'),
      html: path.join(dir, 'index.html'),
      console: 'silent',
      evidenceDir: path.join(dir, 'evidence'),
    }),
  );
}

/** The same JUnit and JSON as a graded student's, every check an error with the reason. */
async function writeUnreachableReports(dir: string, columns: Column[], reason: string, student: string): Promise<void> {
  const reporter = studentReporter(dir);
  const now = new Date().toISOString();
  const runId = 'unreachable';
  const cluster: ClusterInfo = { name: student, provider: 'kubeconfig' };
  const suites = [...new Set(columns.map((c) => c.suite))].map((name) => {
    const checks = columns
      .filter((c) => c.suite === name)
      .map((c) => resultWithoutVerdict({ id: c.id, name: c.name, kind: c.kind, ...(c.points ? { points: c.points } : {}) }, name, { status: 'error', reason, runId, startedAt: now }));
    return { name, file: '', namespace: '', status: 'error' as const, durationMs: 0, checks, errors: [reason] };
  });
  await reporter.onRunBegin?.({ runId, cluster, suites: outlineOfResults(suites) });
  const run: RunResult = {
    schemaVersion: RESULTS_SCHEMA_VERSION, tool: { name: 'kconform', version: VERSION }, runId, startedAt: now, finishedAt: now, durationMs: 0,
    cluster, suites, interrupted: false, summary: summarize(suites),
    harnessError: { phase: 'connecting to the cluster', cause: reason, exitCode: 3 },
  };
  await reporter.onRunEnd?.(run);
}

export async function writeSheet(sheet: ScoreSheet, dir: string): Promise<string[]> {
  const files = { csv: path.join(dir, 'scores.csv'), md: path.join(dir, 'scores.md'), json: path.join(dir, 'scores.json') };
  // The same text `grade --reporter json|csv|markdown` prints.
  await writeFileAtomic(files.csv, sheetDocument('csv', sheet));
  await writeFileAtomic(files.md, sheetDocument('markdown', sheet));
  await writeFileAtomic(files.json, sheetDocument('json', sheet));
  return [files.csv, files.md, files.json];
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return redactText(text.replace(/\s*\n\s*/g, ' ').trim()).slice(0, 400);
}

