// The score sheet as Markdown: totals, a student x check grid, the flags
// (shared cluster UIDs), then each student's lost points with reason and hint.
// Pure.
import type { CheckGrade, ScoreSheet, StudentGrade } from './scores.ts';
import { sharedClusters } from './scores.ts';
import { columnLabels } from './sheet-labels.ts';

export function scoreSheetMarkdown(sheet: ScoreSheet): string {
  const labels = columnLabels(sheet.columns);
  const out: string[] = [];
  out.push(`# ${sheet.title}`, '');
  out.push(
    `Graded ${sheet.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}, ${sheet.readOnly ? 'read-only' : 'read-write'}, ` +
      `${sheet.students.length} student${sheet.students.length === 1 ? '' : 's'} in ${seconds(sheet.durationMs)}.`,
    '',
  );
  const skipped = sheet.columns.filter((c) => c.skipReason);
  if (skipped.length) out.push(`Not graded in this batch: ${skipped.map((c) => `${c.name} (${c.skipReason})`).join('; ')}.`, '');

  out.push('| student | points | max | % | cluster UID | Kubernetes | nodes | flags |', '|---|---:|---:|---:|---|---|---:|---|');
  for (const s of sheet.students) {
    out.push(
      row([
        s.student,
        String(s.points),
        String(s.max),
        s.max > 0 ? String(Math.round((s.points / s.max) * 100)) : '',
        s.cluster?.uid ? `\`${s.cluster.uid}\`` : s.outcome === 'unreachable' ? '(unreachable)' : '',
        s.cluster?.kubernetesVersion ?? '',
        s.cluster?.nodes !== undefined ? String(s.cluster.nodes) : '',
        s.flags.map((f) => `**${f}**`).join('; '),
      ]),
    );
  }
  out.push('');

  out.push('## Checks', '');
  out.push(row(['student', ...sheet.columns.map((c, i) => `${labels[i]} (${c.points})`)]), row(['---', ...sheet.columns.map(() => ':---:')]));
  for (const s of sheet.students) {
    out.push(row([s.student, ...sheet.columns.map((c) => cell(s.checks.find((x) => x.id === c.id), !!c.skipReason))]));
  }
  out.push('');

  const shared = sharedClusters(sheet.students);
  if (shared.length) {
    out.push('## Flags', '');
    for (const g of shared) out.push(`- **${g.students.join(', ')}** graded the same cluster (UID \`${g.uid}\`).`);
    out.push('');
  }

  out.push('## Details', '');
  for (const s of sheet.students) out.push(...details(s, sheet, labels));
  return `${out.join('\n').trimEnd()}\n`;
}

function details(s: StudentGrade, sheet: ScoreSheet, labels: string[]): string[] {
  const out = [`### ${s.student}: ${s.points}/${s.max}`, ''];
  if (s.reason) out.push(`${s.outcome === 'unreachable' ? 'Not graded' : 'Stopped'}: ${s.reason}`, '');
  const meta = [s.cluster?.kubernetesVersion, s.cluster?.nodes !== undefined ? `${s.cluster.nodes} nodes` : undefined, s.cluster?.cni ? `CNI ${s.cluster.cni}` : undefined, s.cluster?.cri ? `runtime ${s.cluster.cri}` : undefined].filter(Boolean);
  if (meta.length) out.push(`Cluster: ${meta.join(', ')}. Reports: \`${s.reportDir}\``, '');
  const lost = sheet.columns
    .map((c, i) => ({ c, label: labels[i]!, g: s.checks.find((x) => x.id === c.id) }))
    .filter((x) => x.g && !x.c.skipReason && x.g.status !== 'pass' && !(s.outcome === 'unreachable'));
  if (s.outcome === 'unreachable') return out;
  if (lost.length === 0) {
    out.push('Every check passed.', '');
    return out;
  }
  for (const { label, g } of lost) {
    out.push(`- ${mark(g!)} **${label}** (${g!.earned}/${g!.max}): ${escape(g!.reason)}`);
    if (g!.hint) for (const line of g!.hint.split('\n')) out.push(`  - hint: ${escape(line)}`);
  }
  out.push('');
  return out;
}

function cell(g: CheckGrade | undefined, batchSkipped: boolean): string {
  if (!g) return '';
  if (batchSkipped) return 'skip';
  return `${mark(g)} ${g.earned}`;
}

function mark(g: CheckGrade): string {
  return g.status === 'pass' ? '✓' : g.status === 'fail' ? '✗' : g.status === 'error' ? '!' : g.status === 'skip' ? '-' : '·';
}

function row(cells: string[]): string {
  return `| ${cells.map(escape).join(' | ')} |`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
