// The podNetwork N x N matrix as an SVG heatmap: rows are clients, columns servers.
// A reachable cell is green, lighter when fast and deeper when slow; a failing cell
// is red and carries a cross, so colour is never the only cue. Every cell's <title>
// is its tooltip: the pair, the verdict, the latency and the check's detail.
import { scaleLinear } from 'd3-scale';
import type { Evidence, MatrixCell } from '../../results/model.ts';
import { textWidth } from './chart-kit.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';

export type MatrixEvidence = Extract<Evidence, { kind: 'matrix' }>;

export const HEATMAP_COLOURS = { fast: '#dcf5e3', slow: '#7bcf92', fail: '#cf222e', missing: '#eaeef2' } as const;

const CELL_H = 32;
const MIN_CELL_W = 60;
const PAD = 10;
const CORNER = 'from \\ to';

export interface FailingCell {
  row: string;
  col: string;
  label: string;
  detail?: string;
}

export function failingCells(e: MatrixEvidence): FailingCell[] {
  const out: FailingCell[] = [];
  e.rows.forEach((row, i) =>
    e.cols.forEach((col, j) => {
      const cell = e.cells[i]?.[j];
      if (cell && !cell.ok) out.push({ row, col, label: cell.label, ...(cell.detail ? { detail: cell.detail } : {}) });
    }),
  );
  return out;
}

function latencies(e: MatrixEvidence): number[] {
  return e.cells.flat().flatMap((c) => (c.ok && c.latencyMs !== undefined && Number.isFinite(c.latencyMs) ? [c.latencyMs] : []));
}

/** Fill for an ok cell: a green whose depth follows latency across the matrix. */
export function latencyShade(e: MatrixEvidence): (latencyMs: number | undefined) => string {
  const all = latencies(e);
  if (all.length === 0) return () => HEATMAP_COLOURS.fast;
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const scale = scaleLinear<string>()
    .domain([lo, hi > lo ? hi : lo + 1])
    .range([HEATMAP_COLOURS.fast, HEATMAP_COLOURS.slow])
    .clamp(true);
  return (ms) => (ms === undefined || !Number.isFinite(ms) ? HEATMAP_COLOURS.fast : scale(ms));
}

function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return '–';
  return cell.ok ? cell.label : `✗ ${cell.label}`;
}

function cellTitle(row: string, col: string, cell: MatrixCell | undefined): string {
  if (!cell) return `${row} → ${col}: not measured`;
  const verdict = cell.ok ? 'ok' : 'FAILING';
  const latency = cell.latencyMs !== undefined && Number.isFinite(cell.latencyMs) ? `, ${Math.round(cell.latencyMs * 10) / 10} ms` : '';
  const label = cell.label && cell.label !== 'ok' ? ` (${cell.label})` : '';
  return `${row} → ${col}: ${verdict}${label}${latency}${cell.detail ? `\n${cell.detail}` : ''}`;
}

export function matrixSummary(e: MatrixEvidence): string {
  const total = e.rows.length * e.cols.length;
  const failing = failingCells(e).length;
  const ok = e.cells.flat().filter((c) => c.ok).length;
  return `${e.title}: ${ok} of ${total} cells ok${failing ? `, ${failing} failing` : ''}`;
}

export function matrixHeatmap(e: MatrixEvidence): VNode {
  const shade = latencyShade(e);
  const rowLabelW = Math.ceil(Math.max(textWidth(CORNER, 11), ...e.rows.map((r) => textWidth(r)))) + 2 * PAD;
  const cellW = Math.ceil(Math.max(MIN_CELL_W, ...e.cells.flat().map((c) => textWidth(cellText(c)) + 2 * PAD)));
  const colLabelW = Math.max(0, ...e.cols.map((c) => textWidth(c)));
  // Long server names are turned 40 degrees so columns stay as narrow as their cells.
  const turn = colLabelW > cellW - 8;
  const headH = turn ? Math.ceil(colLabelW * Math.sin(Math.PI * 40 / 180)) + 22 : 28;
  const spill = turn ? Math.max(0, Math.ceil(colLabelW * Math.cos(Math.PI * 40 / 180)) - cellW / 2) : 0;
  const width = rowLabelW + e.cols.length * cellW + spill + 2;
  const height = headH + e.rows.length * CELL_H + 2;

  const colLabels = e.cols.map((col, j) => {
    const x = rowLabelW + j * cellW + cellW / 2;
    return turn
      ? html`<text class="hm-col" x=${x} y=${headH - 8} transform=${`rotate(-40 ${x} ${headH - 8})`}>${col}</text>`
      : html`<text class="hm-col" x=${x} y=${headH - 10} text-anchor="middle">${col}</text>`;
  });

  const body = e.rows.map((row, i) => {
    const y = headH + i * CELL_H;
    const cells = e.cols.map((col, j) => {
      const cell = e.cells[i]?.[j];
      const x = rowLabelW + j * cellW;
      const fill = !cell ? HEATMAP_COLOURS.missing : cell.ok ? shade(cell.latencyMs) : HEATMAP_COLOURS.fail;
      const state = !cell ? 'missing' : cell.ok ? 'ok' : 'fail';
      return html`<g class=${`hm-cell hm-${state}`} data-row=${row} data-col=${col}>
        <title>${cellTitle(row, col, cell)}</title>
        <rect x=${x + 1} y=${y + 1} width=${cellW - 2} height=${CELL_H - 2} rx="3" fill=${fill} />
        <text x=${x + cellW / 2} y=${y + CELL_H / 2 + 4} text-anchor="middle">${cellText(cell)}</text>
      </g>`;
    });
    return html`<g class="hm-row">
      <text class="hm-rowlabel" x=${rowLabelW - PAD} y=${y + CELL_H / 2 + 4} text-anchor="end">${row}</text>
      ${cells}
    </g>`;
  });

  return html`<svg class="chart heatmap" xmlns="http://www.w3.org/2000/svg" role="img" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`}>
    <title>${matrixSummary(e)}</title>
    <text class="hm-corner" x=${rowLabelW - PAD} y=${headH - 10} text-anchor="end">${CORNER}</text>
    ${colLabels}
    ${body}
  </svg>`;
}
