// `kconform merge DIR...`: joins the output folders of `run --shard i/n` (their
// results.json) or of `grade --shard i/n` (their scores.json) into the reports one
// machine would have written: JUnit, results.json, HTML and evidence/ for runs;
// scores.csv/md/json and every student's folder for grading.
import { cp, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes.ts';
import { addOutputDirOption } from '../output-options.ts';
import { readResultsFile, renderJson } from '../../report/json.ts';
import { renderJunit } from '../../report/junit.ts';
import { renderHtml } from '../../report/html.ts';
import { writeFileAtomic } from '../../report/atomic-write.ts';
import { mergeRuns, MergeError } from '../../report/merge.ts';
import { mergeSheets, SheetMergeError } from '../../grade/merge-sheets.ts';
import type { ScoreSheet } from '../../grade/scores.ts';
import { writeSheet } from '../../grade/batch.ts';
import { exitCodeOf } from '../exit-codes.ts';
import { summary } from './grade.ts';
import { readdir } from 'node:fs/promises';

const MAX_PARTS = 1000;

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description('Join the reports of shards (run --shard i/n or grade --shard i/n, e.g. downloaded CI artifacts) into the reports one machine would have written')
    .argument('<dirs...>', 'shard output folders, or folders holding them');
  addOutputDirOption(cmd, 'reports', 'where the merged reports go (grading: its score sheet and student folders)').action(async (dirs: string[], flags: { reports: string }) => {
    const found = await findParts(dirs);
    if (found.runs.length && found.sheets.length) throw new CliError(`found both run results (${found.runs[0]}) and score sheets (${found.sheets[0]}); merge one kind at a time`, EXIT.badInput);
    if (!found.runs.length && !found.sheets.length) throw new CliError(`no results.json or scores.json in ${dirs.join(', ')}`, EXIT.badInput);
    process.exitCode = found.runs.length ? await mergeRunParts(found.runs, flags.reports) : await mergeSheetParts(found.sheets, flags.reports);
  });
}

/** results.json / scores.json in each folder given, or in its direct subfolders (one artifact per shard). */
async function findParts(dirs: string[]): Promise<{ runs: string[]; sheets: string[] }> {
  const runs: string[] = [];
  const sheets: string[] = [];
  const look = async (dir: string): Promise<boolean> => {
    let hit = false;
    for (const [name, list] of [['results.json', runs], ['scores.json', sheets]] as const) {
      if ((await stat(path.join(dir, name)).catch(() => undefined))?.isFile()) {
        list.push(path.join(dir, name));
        hit = true;
      }
    }
    return hit;
  };
  for (const d of dirs) {
    const st = await stat(d).catch(() => undefined);
    if (!st) throw new CliError(`${d}: no such file or folder`, EXIT.badInput);
    if (st.isFile()) {
      const base = path.basename(d);
      if (base.endsWith('scores.json')) sheets.push(d);
      else runs.push(d);
      continue;
    }
    if (await look(d)) continue;
    const subs = (await readdir(d, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => path.join(d, e.name)).sort();
    for (const s of subs) await look(s);
  }
  if (runs.length + sheets.length > MAX_PARTS) throw new CliError(`more than ${MAX_PARTS} parts to merge`, EXIT.badInput);
  return { runs, sheets };
}

async function mergeRunParts(files: string[], out: string): Promise<number> {
  const parts = [];
  for (const f of files) {
    try {
      parts.push({ source: f, run: await readResultsFile(f) });
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err), EXIT.badInput);
    }
  }
  let merged;
  try {
    merged = mergeRuns(parts);
  } catch (err) {
    if (err instanceof MergeError) throw new CliError(`merge: ${err.message}`, EXIT.badInput);
    throw err;
  }
  for (const n of merged.notes) process.stderr.write(`kconform merge: ${n}\n`);
  // Evidence keeps its <suite>/<check> layout, so the links of the merged HTML hold.
  for (const f of files) {
    const ev = path.join(path.dirname(f), 'evidence');
    if ((await stat(ev).catch(() => undefined))?.isDirectory() && path.resolve(ev) !== path.resolve(out, 'evidence')) await cp(ev, path.join(out, 'evidence'), { recursive: true, force: true });
  }
  const run = merged.run;
  const written = [path.join(out, 'junit.xml'), path.join(out, 'results.json'), path.join(out, 'index.html')];
  await writeFileAtomic(written[0]!, renderJunit(run));
  await writeFileAtomic(written[1]!, renderJson(run));
  await writeFileAtomic(written[2]!, renderHtml(run));
  const s = run.summary;
  process.stdout.write(`merged ${parts.length} part(s): ${s.total} checks, ${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.skipped} skipped${s.flaky ? `, ${s.flaky} flaky` : ''}\n`);
  for (const p of [...parts].sort((a, b) => (a.run.shard?.index ?? 0) - (b.run.shard?.index ?? 0))) {
    const n = p.run.suites.reduce((k, x) => k + x.checks.length, 0);
    process.stdout.write(`  ${p.run.shard ? `shard ${p.run.shard.index}/${p.run.shard.total}` : p.source}: ${n} checks in ${(p.run.durationMs / 1000).toFixed(1)}s (${p.source})\n`);
  }
  process.stdout.write(`reports: ${written.join(', ')}\n`);
  return exitCodeOf(run);
}

async function mergeSheetParts(files: string[], out: string): Promise<number> {
  const parts: { source: string; sheet: ScoreSheet }[] = [];
  for (const f of files) {
    try {
      parts.push({ source: f, sheet: JSON.parse(await readFile(f, 'utf8')) as ScoreSheet });
    } catch (err) {
      throw new CliError(`${f}: not a kconform score sheet (${err instanceof Error ? err.message : String(err)})`, EXIT.badInput);
    }
    const s = parts.at(-1)!.sheet;
    if (!Array.isArray(s.students) || !Array.isArray(s.columns)) throw new CliError(`${f}: not a kconform score sheet (no students or columns)`, EXIT.badInput);
  }
  let sheet: ScoreSheet;
  try {
    sheet = mergeSheets(parts);
  } catch (err) {
    if (err instanceof SheetMergeError) throw new CliError(`merge: ${err.message}`, EXIT.badInput);
    throw err;
  }
  // Every student's folder (JUnit, results.json, HTML, evidence) moves under the merged sheet;
  // it is looked up beside the shard's scores.json (artifacts land elsewhere than they were written).
  const home = new Map(parts.flatMap((p) => p.sheet.students.map((st) => [st.student, path.dirname(p.source)] as const)));
  const students = [];
  for (const st of sheet.students) {
    const from = path.join(home.get(st.student) ?? path.dirname(st.reportDir), path.basename(st.reportDir));
    const to = path.join(out, path.basename(st.reportDir));
    if ((await stat(from).catch(() => undefined))?.isDirectory() && path.resolve(from) !== path.resolve(to)) await cp(from, to, { recursive: true, force: true });
    students.push({ ...st, reportDir: to });
  }
  const merged = { ...sheet, students };
  const written = await writeSheet(merged, out);
  process.stdout.write(`${summary(merged)}\n`);
  process.stdout.write(`merged ${parts.length} score sheet(s): ${written.join(', ')}\n`);
  return EXIT.ok;
}
