// Column labels shared by the sheet writers: the check name, or `suite/check`
// when two suites in one batch use the same check name. Pure.
import type { Column } from './scores.ts';

export function columnLabels(columns: Column[]): string[] {
  const count = new Map<string, number>();
  for (const c of columns) count.set(c.name, (count.get(c.name) ?? 0) + 1);
  return columns.map((c) => ((count.get(c.name) ?? 0) > 1 ? c.id : c.name));
}
