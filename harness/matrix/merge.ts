// Merges the cells of a CNI x CRI matrix (each a folder with cell.json and/or
// results.json: one CI artifact, or one local `matrix` cell) into one table:
// a row per check, a column per cell. Pure: the files are read by load.ts.
import type { RunResult, Status, Summary } from '../results/model.ts';
import { cellId, cellLabel, runStatus, type CellRecord } from './cell.ts';
import { CNI_CHOICES } from '../cluster/cni/table.ts';

export interface CellInput {
  /** Where it came from (folder), for messages. */
  dir: string;
  cell?: CellRecord | undefined;
  results?: RunResult | undefined;
}

export interface MatrixCell {
  id: string;
  label: string;
  cni: string;
  cri: string;
  status: Status;
  reason: string;
  createMs?: number;
  suiteMs?: number;
  /** What the cluster really ran (read from it), when it ran. */
  running?: { cni?: string; cri?: string; kubernetesVersion?: string; nodes?: number };
  summary?: Summary;
  dir: string;
}

export interface MatrixCheckRow {
  /** `<suite>/<check>`. */
  id: string;
  /** Per cell id: its status there and the one-line reason; absent when the cell did not run it. */
  cells: Record<string, { status: Status; reason: string }>;
}

export interface MatrixTable {
  schemaVersion: 1;
  generatedAt: string;
  cells: MatrixCell[];
  checks: MatrixCheckRow[];
  /** Worst cell status (a skipped cell does not fail the matrix). */
  status: Status;
}

const CNI_ORDER: readonly string[] = CNI_CHOICES;
const CRI_ORDER = ['containerd', 'docker'];

function rank(list: readonly string[], v: string): number {
  const i = list.indexOf(v);
  return i < 0 ? list.length : i;
}

/** The cell's identity: cell.json when present, else what results.json says ran, else the folder name. */
function identify(input: CellInput): { cni: string; cri: string } {
  if (input.cell) return { cni: input.cell.cni, cri: input.cell.cri };
  const c = input.results?.cluster;
  if (c?.cni || c?.cri) return { cni: c.cni ?? 'unknown', cri: c.cri ?? 'unknown' };
  return { cni: input.dir.split(/[\\/]/).filter(Boolean).pop() ?? input.dir, cri: '?' };
}

export function toMatrixCell(input: CellInput): MatrixCell {
  const { cni, cri } = identify(input);
  const r = input.results;
  const base = { id: cellId(cni, cri), label: cellLabel(cni, cri), cni, cri, dir: input.dir };
  if (input.cell) {
    const c = input.cell;
    const running = c.running ?? (r ? { cni: r.cluster.cni, cri: r.cluster.cri, kubernetesVersion: r.cluster.kubernetesVersion, nodes: r.cluster.nodes } : undefined);
    return {
      ...base,
      status: c.status,
      reason: c.reason,
      ...(c.createMs !== undefined ? { createMs: c.createMs } : {}),
      ...(c.suiteMs !== undefined ? { suiteMs: c.suiteMs } : {}),
      ...(running ? { running: dropUndefined(running) } : {}),
      ...(c.summary ?? r?.summary ? { summary: (c.summary ?? r?.summary)! } : {}),
    };
  }
  if (r) {
    return {
      ...base,
      status: r.harnessError ? 'error' : runStatus(r.summary, r.interrupted),
      reason: r.harnessError ? `${r.harnessError.phase}: ${r.harnessError.cause.split('\n')[0]}` : `${r.summary.passed}/${r.summary.total} checks passed`,
      suiteMs: r.durationMs,
      running: dropUndefined({ cni: r.cluster.cni, cri: r.cluster.cri, kubernetesVersion: r.cluster.kubernetesVersion, nodes: r.cluster.nodes }),
      summary: r.summary,
    };
  }
  return { ...base, status: 'error', reason: 'no cell.json or results.json in this folder (the cell did not get as far as writing reports)' };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function mergeCells(inputs: CellInput[], now = new Date()): MatrixTable {
  const cells = inputs.map(toMatrixCell);
  // Two folders for one cell (a re-run): the later input wins, and says so in its reason.
  const byId = new Map<string, MatrixCell>();
  for (const c of cells) {
    const prev = byId.get(c.id);
    byId.set(c.id, prev ? { ...c, reason: `${c.reason} (also in ${prev.dir}; this one kept)` } : c);
  }
  const unique = [...byId.values()].sort((a, b) => rank(CNI_ORDER, a.cni) - rank(CNI_ORDER, b.cni) || rank(CRI_ORDER, a.cri) - rank(CRI_ORDER, b.cri) || a.id.localeCompare(b.id));

  const rows = new Map<string, MatrixCheckRow>();
  const kept = new Set(unique.map((c) => c.dir));
  for (const input of inputs) {
    // A cell whose cluster never came up has no check rows, only its reason.
    if (!input.results || input.results.harnessError || !kept.has(input.dir)) continue;
    const id = toMatrixCell(input).id;
    for (const suite of input.results.suites) {
      for (const check of suite.checks) {
        const row = rows.get(check.id) ?? { id: check.id, cells: {} };
        row.cells[id] = { status: check.status, reason: check.reason };
        rows.set(check.id, row);
      }
    }
  }
  const order: Status[] = ['error', 'fail', 'pass', 'skip'];
  const statuses = unique.map((c) => c.status);
  const status = order.find((s) => statuses.includes(s)) ?? 'skip';
  return { schemaVersion: 1, generatedAt: now.toISOString(), cells: unique, checks: [...rows.values()].sort((a, b) => a.id.localeCompare(b.id)), status };
}
