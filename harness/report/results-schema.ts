// results.json as a zod schema: validates what the JSON reporter wrote (tests) and
// what --rerun-failed reads back. Kept in step with harness/results/model.ts by the
// type assertions at the bottom: a field added to the model and not here, or here
// and not in the model, breaks `tsc`.
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION } from '../results/model.ts';
import type { RunResult } from '../results/model.ts';

const status = z.enum(['pass', 'fail', 'error', 'skip']);
const ms = z.number().nonnegative();

const matrixCell = z.object({
  ok: z.boolean(),
  label: z.string(),
  latencyMs: z.number().optional(),
  detail: z.string().optional(),
});

const eventRecord = z.object({
  time: z.string(),
  type: z.string(),
  reason: z.string(),
  object: z.string(),
  message: z.string(),
  count: z.number().optional(),
});

export const evidenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), title: z.string(), text: z.string() }),
  z.object({
    kind: z.literal('table'),
    title: z.string(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number()]))),
  }),
  z.object({
    kind: z.literal('matrix'),
    title: z.string(),
    rows: z.array(z.string()),
    cols: z.array(z.string()),
    cells: z.array(z.array(matrixCell)),
  }),
  z.object({
    kind: z.literal('counts'),
    title: z.string(),
    counts: z.record(z.string(), z.number()),
    expected: z.number().optional(),
    pValue: z.number().optional(),
    statistic: z.number().optional(),
  }),
  z.object({
    kind: z.literal('timeline'),
    title: z.string(),
    series: z.array(z.string()),
    points: z.array(z.object({ t: z.number(), values: z.record(z.string(), z.number()) })),
  }),
  z.object({ kind: z.literal('events'), title: z.string(), events: z.array(eventRecord) }),
  z.object({ kind: z.literal('logs'), title: z.string(), pod: z.string(), container: z.string(), text: z.string() }),
  z.object({ kind: z.literal('object'), title: z.string(), object: z.unknown() }),
]);

const assertion = z.object({
  name: z.string(),
  passed: z.boolean(),
  message: z.string().optional(),
  points: z.number().optional(),
});

const attempt = z.object({
  attempt: z.int().positive(),
  status,
  reason: z.string(),
  durationMs: ms,
  evidence: z.array(evidenceSchema),
});

export const checkResultSchema = z.object({
  id: z.string().min(1),
  suite: z.string(),
  name: z.string(),
  kind: z.string(),
  status,
  reason: z.string(),
  durationMs: ms,
  cleanupMs: ms.optional(),
  startedAt: z.string(),
  evidence: z.array(evidenceSchema),
  assertions: z.array(assertion),
  flaky: z.boolean(),
  attempts: z.array(attempt),
  hint: z.string().optional(),
  points: z.object({ earned: z.number(), max: z.number() }).optional(),
  runId: z.string(),
});

export const suiteResultSchema = z.object({
  name: z.string(),
  file: z.string(),
  namespace: z.string(),
  status,
  durationMs: ms,
  checks: z.array(checkResultSchema),
  errors: z.array(z.string()),
});

export const clusterInfoSchema = z.object({
  name: z.string(),
  provider: z.string(),
  kubernetesVersion: z.string().optional(),
  nodes: z.int().nonnegative().optional(),
  cni: z.string().optional(),
  cri: z.string().optional(),
  uid: z.string().optional(),
  shape: z.record(z.string(), z.unknown()).optional(),
});

const count = z.int().nonnegative();

export const runResultSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('kconform'), version: z.string() }),
  runId: z.string().min(1),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: ms,
  cluster: clusterInfoSchema,
  suites: z.array(suiteResultSchema),
  interrupted: z.boolean(),
  rerunOf: z.string().optional(),
  harnessError: z.object({ phase: z.string(), cause: z.string(), exitCode: z.int() }).optional(),
  shard: z.object({ index: z.int().positive(), total: z.int().positive() }).optional(),
  summary: z.object({
    total: count,
    passed: count,
    failed: count,
    errored: count,
    skipped: count,
    flaky: count,
  }),
});

export type RunResultFromSchema = z.infer<typeof runResultSchema>;

// Exactly the model: a field added to one and not the other, or typed differently,
// makes this assignment fail to compile.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesModel: Same<RunResultFromSchema, RunResult> = true;
void schemaMatchesModel;
