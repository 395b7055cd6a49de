// One cell of the CNI x CRI matrix: what was asked for, what actually ran (read
// from the cluster), how long creation and the suites took, and the outcome.
// Written as cell.json next to the cell's results.json by `run --provider kind`
// and `matrix`; `matrix merge` reads it back.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../report/atomic-write.ts';
import { redactText } from '../report/redact.ts';
import type { RunResult, Status, Summary } from '../results/model.ts';

export const CELL_FILE = 'cell.json';

const StatusSchema = z.enum(['pass', 'fail', 'error', 'skip']);

export const CellRecordSchema = z.object({
  schemaVersion: z.literal(1),
  cni: z.string(),
  cri: z.string(),
  status: StatusSchema,
  reason: z.string(),
  createMs: z.number().optional(),
  suiteMs: z.number().optional(),
  running: z
    .object({ cni: z.string().optional(), cri: z.string().optional(), kubernetesVersion: z.string().optional(), nodes: z.number().optional() })
    .optional(),
  summary: z.object({ total: z.number(), passed: z.number(), failed: z.number(), errored: z.number(), skipped: z.number(), flaky: z.number() }).optional(),
});
export type CellRecord = z.infer<typeof CellRecordSchema>;

/** "flannel:host-gw" x "docker" -> "flannel-host-gw-docker": folder and artifact names. */
export function cellId(cni: string, cri: string): string {
  return `${cni.replace(/[^a-z0-9]+/gi, '-')}-${cri}`;
}

export function cellLabel(cni: string, cri: string): string {
  return `${cni} × ${cri}`;
}

/** A run's outcome as one status: any error, else any failure, else pass (skip when nothing ran). */
export function runStatus(s: Summary, interrupted: boolean): Status {
  if (interrupted || s.errored > 0) return 'error';
  if (s.failed > 0) return 'fail';
  if (s.passed > 0) return 'pass';
  return 'skip';
}

export function cellFromRun(asked: { cni: string; cri: string }, result: RunResult, times: { createMs?: number; suiteMs: number }): CellRecord {
  const status = runStatus(result.summary, result.interrupted);
  const s = result.summary;
  return {
    schemaVersion: 1,
    cni: asked.cni,
    cri: asked.cri,
    status,
    reason: `${s.passed}/${s.total} checks passed${s.failed ? `, ${s.failed} failed` : ''}${s.errored ? `, ${s.errored} errored` : ''}${result.interrupted ? ', interrupted' : ''}`,
    ...(times.createMs !== undefined ? { createMs: times.createMs } : {}),
    suiteMs: times.suiteMs,
    running: {
      ...(result.cluster.cni ? { cni: result.cluster.cni } : {}),
      ...(result.cluster.cri ? { cri: result.cluster.cri } : {}),
      ...(result.cluster.kubernetesVersion ? { kubernetesVersion: result.cluster.kubernetesVersion } : {}),
      ...(result.cluster.nodes !== undefined ? { nodes: result.cluster.nodes } : {}),
    },
    summary: result.summary,
  };
}

/** A cell that never ran its suites (images missing: skip; creation failed: error). */
export function cellWithoutRun(asked: { cni: string; cri: string }, status: 'skip' | 'error', reason: string, createMs?: number): CellRecord {
  return { schemaVersion: 1, cni: asked.cni, cri: asked.cri, status, reason: redactText(reason), ...(createMs !== undefined ? { createMs } : {}) };
}

export async function writeCell(dir: string, cell: CellRecord): Promise<string> {
  const file = path.join(dir, CELL_FILE);
  await writeFileAtomic(file, `${JSON.stringify(cell, null, 2)}\n`);
  return file;
}

export async function readCell(file: string): Promise<CellRecord> {
  const data: unknown = JSON.parse(await readFile(file, 'utf8'));
  const parsed = CellRecordSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: not a kconform cell record (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
