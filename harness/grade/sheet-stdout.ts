// grade --reporter: what goes to stdout besides (or instead of) the console
// lines. `json`, `csv` and `markdown` print the score sheet once at the end, the
// same text as scores.json/.csv/.md (the console then moves to stderr so stdout
// stays one document); `github` prints one Actions annotation per student who
// lost points or could not be graded, and a notice with the class total.
import { escapeData, escapeProperty } from '../report/stdout-reporters.ts';
import { redactText } from '../report/redact.ts';
import type { ScoreSheet } from './scores.ts';
import { scoreSheetCsv } from './sheet-csv.ts';
import { scoreSheetMarkdown } from './sheet-markdown.ts';

export const GRADE_REPORTERS = ['console', 'json', 'csv', 'markdown', 'github'] as const;
export type GradeReporterName = (typeof GRADE_REPORTERS)[number];
const DOCUMENTS: readonly GradeReporterName[] = ['json', 'csv', 'markdown'];

/** Comma-separated names -> list; `bad` holds unknown names, `documents` the ones that print a whole sheet (at most one fits on stdout). */
export function parseGradeReporters(text: string): { names: GradeReporterName[]; bad: string[]; documents: GradeReporterName[] } {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const known = (i: string): i is GradeReporterName => (GRADE_REPORTERS as readonly string[]).includes(i);
  const names = [...new Set(items.filter(known))];
  return { names, bad: items.filter((i) => !known(i)), documents: names.filter((n) => DOCUMENTS.includes(n)) };
}

/** The sheet as the document a reporter prints (the files' exact text, redacted like them). */
export function sheetDocument(format: 'json' | 'csv' | 'markdown', sheet: ScoreSheet): string {
  const text = format === 'json' ? `${JSON.stringify(sheet, null, 2)}\n` : format === 'csv' ? scoreSheetCsv(sheet) : scoreSheetMarkdown(sheet);
  return redactText(text);
}

/** Annotation lines: an error per student who could not be graded, a warning per student below full marks, a notice with the totals. */
export function sheetAnnotations(sheet: ScoreSheet): string[] {
  const lines: string[] = [];
  for (const s of sheet.students) {
    const title = `title=${escapeProperty(`kconform grade ${s.student}`)}`;
    if (s.outcome !== 'graded') {
      lines.push(`::error ${title}::${escapeData(redactText(`${s.student}: 0/${s.max}, ${s.outcome}: ${s.reason ?? 'no reason recorded'}`))}`);
      continue;
    }
    const lost = s.checks.filter((c) => c.earned < c.max);
    if (lost.length === 0 && s.flags.length === 0) continue;
    const body = [`${s.student}: ${s.points}/${s.max}`, ...lost.map((c) => `${c.id} (-${c.max - c.earned}): ${c.reason}`), ...s.flags.map((f) => `FLAG: ${f}`)].join('\n');
    lines.push(`::warning ${title}::${escapeData(redactText(body))}`);
  }
  const full = sheet.students.filter((s) => s.outcome === 'graded' && s.points === s.max).length;
  lines.push(`::notice title=kconform grade::${escapeData(`${sheet.students.length} student(s): ${full} with full marks, ${sheet.students.filter((s) => s.outcome !== 'graded').length} not graded`)}`);
  return lines;
}
