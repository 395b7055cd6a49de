// The merged matrix as Markdown: one table of cells (what ran, how long, the
// outcome), one of checks x cells, and the failing checks with their reasons.
// Used for reports/matrix/matrix.md and GitHub's job summary.
import { formatDuration } from '../report/format.ts';
import type { Status } from '../results/model.ts';
import type { MatrixTable } from './merge.ts';

const MARK: Record<Status, string> = { pass: '✅', fail: '❌', error: '⚠️', skip: '⏭️' };

/** Table cells must not break the table: pipes escaped, one line, bounded. */
export function mdCell(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\|/g, '\\|');
}

function dur(ms: number | undefined): string {
  return ms === undefined ? '–' : formatDuration(ms);
}

export function matrixMarkdown(t: MatrixTable, title = 'kconform CNI × CRI matrix'): string {
  const out: string[] = [`## ${title}`, ''];
  if (!t.cells.length) return [...out, 'No cells found.', ''].join('\n');
  out.push('| cell | CNI running | CRI running | Kubernetes | nodes | create | suites | checks | result |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const c of t.cells) {
    const s = c.summary;
    const checks = s ? `${s.passed}/${s.total} passed${s.failed ? `, ${s.failed} failed` : ''}${s.errored ? `, ${s.errored} errored` : ''}${s.skipped ? `, ${s.skipped} skipped` : ''}` : '–';
    out.push(
      `| ${mdCell(c.label)} | ${mdCell(c.running?.cni ?? '–')} | ${mdCell(c.running?.cri ?? '–')} | ${mdCell(c.running?.kubernetesVersion ?? '–')} | ${c.running?.nodes ?? '–'} | ${dur(c.createMs)} | ${dur(c.suiteMs)} | ${checks} | ${MARK[c.status]} ${c.status}${c.status === 'pass' ? '' : `: ${mdCell(c.reason)}`} |`,
    );
  }
  if (t.checks.length) {
    out.push('', `| check | ${t.cells.map((c) => mdCell(c.label)).join(' | ')} |`, `|---|${t.cells.map(() => ':---:').join('|')}|`);
    for (const row of t.checks) {
      out.push(`| ${mdCell(row.id)} | ${t.cells.map((c) => (row.cells[c.id] ? MARK[row.cells[c.id]!.status] : '–')).join(' | ')} |`);
    }
  }
  const failures = t.checks.flatMap((row) =>
    t.cells.filter((c) => row.cells[c.id] && ['fail', 'error'].includes(row.cells[c.id]!.status)).map((c) => `- **${mdCell(c.label)}** \`${row.id}\`: ${mdCell(row.cells[c.id]!.reason, 400)}`),
  );
  if (failures.length) out.push('', '### Failures', '', ...failures);
  out.push('', `Legend: ${MARK.pass} pass · ${MARK.fail} fail · ${MARK.error} error (undecided) · ${MARK.skip} skipped · – not run`, '');
  return out.join('\n');
}
