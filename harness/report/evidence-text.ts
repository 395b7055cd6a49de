// Evidence as readable plain text: the JUnit failure body and the evidence files.
// Tables and matrices become ASCII grids; logs are kept as they are (tail-limited
// where a caller asks), terminal escapes removed.
import { stringify as toYaml } from 'yaml';
import type { Assertion, CheckResult, Evidence, EventRecord, MatrixCell } from '../results/model.ts';
import { displayWidth, formatDuration, padEnd, stripAnsi } from './format.ts';

export interface TextOptions {
  /** Keep only the last N lines of each log (the evidence files keep them all). */
  maxLogLines?: number;
  /** Keep only the first N rows of a timeline or table. */
  maxRows?: number;
}

/** An ASCII grid with a header row. */
export function grid(columns: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => columns.map((_, i) => clean(String(r[i] ?? ''))));
  const head = columns.map(clean);
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (r: string[]): string => '| ' + r.map((c, i) => padEnd(c, widths[i] ?? 0)).join(' | ') + ' |';
  return [rule, line(head), rule, ...cells.map(line), ...(cells.length ? [rule] : [])].join('\n');
}

function clean(text: string): string {
  return stripAnsi(text).replace(/[\r\n\t]+/g, ' ');
}

function renderMatrix(rows: string[], cols: string[], cells: MatrixCell[][]): string {
  const body = rows.map((r, i) => [r, ...cols.map((_, j) => cellText(cells[i]?.[j]))]);
  const out = [grid(['from \\ to', ...cols], body)];
  const failing: string[] = [];
  rows.forEach((r, i) =>
    cols.forEach((c, j) => {
      const cell = cells[i]?.[j];
      if (cell && !cell.ok) failing.push(`  ${r} -> ${c}: ${cell.label}${cell.detail ? ` (${oneLineDetail(cell.detail)})` : ''}`);
    }),
  );
  const total = rows.length * cols.length;
  out.push(failing.length ? `failing cells (${failing.length}/${total}):\n${failing.join('\n')}` : `all ${total} cells ok`);
  return out.join('\n');
}

function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return '';
  return cell.ok ? cell.label : `✗ ${cell.label}`;
}

function oneLineDetail(text: string): string {
  return clean(text).trim();
}

function renderCounts(e: Extract<Evidence, { kind: 'counts' }>): string {
  const entries = Object.entries(e.counts);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const lines = [grid(['key', 'count'], entries.map(([k, n]) => [k, n]))];
  const facts = [`total ${total}`];
  if (e.expected !== undefined) facts.push(`expected ${e.expected} each`);
  if (e.statistic !== undefined) facts.push(`chi-square ${round(e.statistic)}`);
  if (e.pValue !== undefined) facts.push(`p-value ${round(e.pValue)}`);
  lines.push(facts.join(', '));
  return lines.join('\n');
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}

function renderEvents(events: EventRecord[]): string {
  if (events.length === 0) return '(no events)';
  return grid(
    ['time', 'type', 'reason', 'object', 'count', 'message'],
    events.map((ev) => [ev.time, ev.type, ev.reason, ev.object, ev.count ?? '', ev.message]),
  );
}

function renderLogs(text: string, maxLines: number | undefined): string {
  const lines = stripAnsi(text).replace(/\n$/, '').split('\n');
  if (maxLines === undefined || lines.length <= maxLines) return lines.join('\n') || '(empty log)';
  return [`(last ${maxLines} of ${lines.length} lines)`, ...lines.slice(-maxLines)].join('\n');
}

function limitRows<T>(rows: T[], max: number | undefined): { rows: T[]; note: string } {
  if (max === undefined || rows.length <= max) return { rows, note: '' };
  return { rows: rows.slice(0, max), note: `\n(first ${max} of ${rows.length} rows)` };
}

/** One evidence item as a titled block. */
export function renderEvidence(e: Evidence, opts: TextOptions = {}): string {
  const title =
    e.kind === 'logs' ? `logs: ${e.title} (pod ${e.pod}, container ${e.container})` : `${e.kind}: ${e.title}`;
  return `=== ${clean(title)} ===\n${renderBody(e, opts)}`;
}

function renderBody(e: Evidence, opts: TextOptions): string {
  switch (e.kind) {
    case 'text':
      return stripAnsi(e.text);
    case 'table': {
      const { rows, note } = limitRows(e.rows, opts.maxRows);
      return grid(e.columns, rows) + note;
    }
    case 'matrix':
      return renderMatrix(e.rows, e.cols, e.cells);
    case 'counts':
      return renderCounts(e);
    case 'timeline': {
      const { rows, note } = limitRows(e.points, opts.maxRows);
      return grid(['t (ms)', ...e.series], rows.map((p) => [p.t, ...e.series.map((s) => p.values[s] ?? '')])) + note;
    }
    case 'events':
      return renderEvents(e.events);
    case 'logs':
      return renderLogs(e.text, opts.maxLogLines);
    case 'object':
      return toYaml(e.object ?? null, { lineWidth: 0 }).replace(/\n$/, '');
    default: {
      const never: never = e;
      return JSON.stringify(never);
    }
  }
}

export function renderEvidenceList(evidence: Evidence[], opts: TextOptions = {}): string {
  return evidence.map((e) => renderEvidence(e, opts)).join('\n\n');
}

function renderAssertion(a: Assertion): string {
  const pts = a.points !== undefined ? ` [${a.points} pt${a.points === 1 ? '' : 's'}]` : '';
  return `  ${a.passed ? '✓' : '✗'} ${clean(a.name)}${a.message ? `: ${clean(a.message)}` : ''}${pts}`;
}

/**
 * Everything a reader needs about one check, as text: reason, hint, points,
 * sub-assertions, earlier attempts and the evidence.
 */
export function renderCheckDetail(result: CheckResult, opts: TextOptions = {}): string {
  const parts: string[] = [`${result.status}: ${clean(result.reason)}`];
  if (result.hint) parts.push(`hint: ${clean(result.hint)}`);
  if (result.points) parts.push(`points: ${result.points.earned}/${result.points.max}`);
  if (result.assertions.length) parts.push(['assertions:', ...result.assertions.map(renderAssertion)].join('\n'));
  if (result.attempts.length > 1) {
    parts.push(
      ['attempts:', ...result.attempts.map((a) => `  #${a.attempt} ${a.status} in ${formatDuration(a.durationMs)}: ${clean(a.reason)}`)].join('\n'),
    );
  }
  if (result.evidence.length) parts.push(renderEvidenceList(result.evidence, opts));
  return parts.join('\n\n');
}
