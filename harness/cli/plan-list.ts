// --list: the plan as a table (or JSON with --reporter json) and nothing else:
// built from the suites and the selection flags alone, no cluster contacted.
import path from 'node:path';
import { buildPlan, type Plan } from '../plan/plan.ts';
import type { LoadedSuite } from '../suite/load.ts';
import { builtInLabels } from '../checks/labels.ts';
import { probeImages } from '../images/probe-images.ts';
import { repoPath } from '../paths.ts';
import { selectionOf, type SelectionFlags } from './selection-options.ts';
import { reportersOf } from './output-options.ts';
import { getCheck } from '../checks/registry.ts';
import { isDisruptive } from '../checks/labels.ts';
import type { CheckNeeds } from '../checks/types.ts';

export interface ListedCheck {
  suite: string;
  check: string;
  id: string;
  kind: string;
  labels: Record<string, string>;
  needs: string;
  destructive: boolean;
  file: string;
}

export function listedChecks(plan: Plan, cwd = process.cwd()): ListedCheck[] {
  return plan.suites.flatMap((s) =>
    s.checks.map((c) => ({
      suite: s.name,
      check: c.name,
      id: c.id,
      kind: c.spec.kind,
      labels: c.labels ?? {},
      needs: describeNeeds(getCheck(c.spec.kind).needs(c.spec)),
      destructive: isDisruptive(c.spec),
      file: path.relative(cwd, s.file),
    })),
  );
}

export function describeNeeds(n: CheckNeeds): string {
  const parts = [
    n.minNodes !== undefined ? `${n.minNodes} node${n.minNodes === 1 ? '' : 's'}` : '',
    n.minSchedulableWorkers !== undefined ? `${n.minSchedulableWorkers} schedulable worker${n.minSchedulableWorkers === 1 ? '' : 's'}` : '',
    ...(n.features ?? []),
  ].filter(Boolean);
  return parts.join(', ') || '-';
}

/** Labels in one short cell: kind and suite have columns, `x=true` is written `x`, area's own key is left out. */
function labelCell(labels: Record<string, string>): string {
  return Object.entries(labels)
    .filter(([k, v]) => k !== 'kind' && k !== 'suite' && !(v === 'true' && labels.area === k))
    .map(([k, v]) => (v === 'true' ? k : `${k}=${v}`))
    .join(' ');
}

export function renderPlanTable(checks: ListedCheck[], shard?: { index: number; total: number }): string {
  const rows = [['SUITE', 'CHECK', 'KIND', 'LABELS', 'NEEDS', 'DESTRUCTIVE'], ...checks.map((c) => [c.suite, c.check, c.kind, labelCell(c.labels), c.needs, c.destructive ? 'yes' : 'no'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  const suites = new Set(checks.map((c) => c.suite)).size;
  const destructive = checks.filter((c) => c.destructive).length;
  lines.push(`${checks.length} check(s) in ${suites} suite(s)${destructive ? `, ${destructive} destructive` : ''}${shard ? ` (shard ${shard.index}/${shard.total})` : ''}; nothing was run`);
  return `${lines.join('\n')}\n`;
}

/** `--list`: plan with the same selection a run would use, print it, touch no cluster. */
export async function printPlanList(suites: LoadedSuite[], flags: SelectionFlags & { filter?: string; reporter?: string; readOnly?: boolean }): Promise<void> {
  const { selection, shard } = selectionOf(flags);
  const json = reportersOf(flags.reporter).includes('json');
  const plan = await buildPlan({
    suites,
    runId: 'list',
    nonce: 'list',
    options: { parallel: 1, keep: 'never', readOnly: !!flags.readOnly, evidence: 'never', selection, ...(shard ? { shard } : {}) },
    fixturesDir: repoPath('fixtures'),
    images: probeImages(),
    builtInLabels,
  });
  const checks = listedChecks(plan);
  process.stdout.write(json ? `${JSON.stringify({ checks, ...(shard ? { shard } : {}) }, null, 2)}\n` : renderPlanTable(checks, shard));
}
