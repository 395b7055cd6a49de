// The score sheet as CSV (RFC 4180): one row per student; for each check its
// result, points and hint. Spreadsheets open it as is. Pure.
import type { ScoreSheet } from './scores.ts';
import { columnLabels } from './sheet-labels.ts';

export function scoreSheetCsv(sheet: ScoreSheet): string {
  const labels = columnLabels(sheet.columns);
  const header = [
    'student', 'points', 'max', 'percent', 'outcome', 'reason', 'cluster_uid', 'kubernetes_version', 'nodes', 'flags',
    ...sheet.columns.flatMap((_, i) => [`${labels[i]} result`, `${labels[i]} points`, `${labels[i]} hint`]),
  ];
  const rows = sheet.students.map((s) => [
    s.student,
    String(s.points),
    String(s.max),
    s.max > 0 ? String(Math.round((s.points / s.max) * 1000) / 10) : '',
    s.outcome,
    s.reason ?? '',
    s.cluster?.uid ?? '',
    s.cluster?.kubernetesVersion ?? '',
    s.cluster?.nodes !== undefined ? String(s.cluster.nodes) : '',
    s.flags.join('; '),
    ...sheet.columns.flatMap((c) => {
      const g = s.checks.find((x) => x.id === c.id);
      if (!g) return ['', '', ''];
      // One line per field: several hints are joined with " | " so line-based tools still work.
      return [c.skipReason ? `skip: ${c.skipReason}` : g.status, c.skipReason ? '' : String(g.earned), (g.hint ?? '').replace(/\r?\n/g, ' | ')];
    }),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
