// `kconform grade`: one assignment, many students' clusters (a folder of
// kubeconfigs, file name = student id), a score sheet at the end. Read-only by
// default: kconform creates only its own namespace on a student's cluster.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { probeImages } from '../../images/probe-images.ts';
import { repoPath } from '../../paths.ts';
import type { EvidencePolicy } from '../../plan/plan.ts';
import { discoverKubeconfigs, gradeBatch, GradeInputError } from '../../grade/batch.ts';
import type { ScoreSheet } from '../../grade/scores.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { durationMs, positiveInt } from '../flag-values.ts';
import { interruptController } from '../signals.ts';
import { addSelectionOptions, selectionOf, type SelectionFlags } from '../selection-options.ts';
import { addOutputDirOption } from '../output-options.ts';
import { keepKubeconfigs } from '../../grade/kubeconfig-files.ts';
import { shardSlice } from '../../plan/select.ts';
import { printPlanList } from '../plan-list.ts';
import { loadOrExplain } from './run.ts';
import { nonNegativeInt } from '../flag-values.ts';
import { GRADE_REPORTERS, parseGradeReporters, sheetAnnotations, sheetDocument, type GradeReporterName } from '../../grade/sheet-stdout.ts';

export const DEFAULT_ASSIGNMENTS = 'suites/assignments';

interface GradeFlags extends SelectionFlags {
  retries?: string | false;
  kubeconfigs: string;
  suite: string[];
  reports: string;
  parallel: string;
  clusterTimeout: string;
  maxWait?: string;
  readOnly: boolean;
  evidence: EvidencePolicy;
  filter?: string;
  reporter: string;
}

export function registerGrade(program: Command): void {
  const cmd = program
    .command('grade')
    .description("Grade students' clusters: run an assignment against every kubeconfig in a folder and write a score sheet")
    .option('--kubeconfigs <dir>', 'folder of kubeconfigs, one per student (file name = student id; files that are not kubeconfigs are listed and skipped)')
    .option('--suite <path...>', 'assignment suite file(s) or folder(s)', [DEFAULT_ASSIGNMENTS]);
  addOutputDirOption(cmd, path.join('reports', 'grades'), 'where the score sheet and per-student reports go');
  addSelectionOptions(cmd, { shardBy: 'student' });
  cmd
    .option('--retries <n>', "override every check's retries")
    .option('--no-retries', 'forbid retries: a check that fails once fails (the fair default for a class is the suite\'s own setting)')
    .option('--parallel <n>', 'clusters graded at once', '3')
    .option('--cluster-timeout <duration>', 'limit for one cluster (connect, checks, cleanup)', '15m')
    .option('--no-read-only', 'allow destructive checks (nodes, taints, privileged node commands); default: read-only')
    .addOption(new Option('--evidence <when>', 'when to collect events, status and logs').choices(['always', 'failure', 'never']).default('failure'))
    .option('--filter <pattern>', 'only checks whose <suite>/<check> id contains this (or matches /regex/); a leading ! leaves them out instead')
    .option('--reporter <names>', `what goes to stdout, comma-separated: ${GRADE_REPORTERS.join(', ')} (json/csv/markdown: the score sheet itself, console lines move to stderr; github: annotations for GitHub Actions)`, 'console')
    .option('--max-wait <duration>', 'cap how long assert, exec and http checks give a cluster to come right (handed-in clusters do not change: 5s grades a class faster)')
    .action(async (flags: GradeFlags) => {
      const { selection, shard } = selectionOf(flags);
      const reporters = gradeReportersOf(flags.reporter);
      if (flags.list) return printPlanList(await loadOrExplain(flags.suite), { ...flags, readOnly: flags.readOnly });
      if (!flags.kubeconfigs) throw new CliError("required option '--kubeconfigs <dir>' not specified", EXIT.badInput);
      const retries = flags.retries === false ? 0 : flags.retries !== undefined ? nonNegativeInt(flags.retries, '--retries') : undefined;
      const parallel = positiveInt(flags.parallel, '--parallel');
      const clusterTimeoutMs = durationMs(flags.clusterTimeout, '--cluster-timeout', '15m');
      const maxWaitMs = flags.maxWait !== undefined ? durationMs(flags.maxWait, '--max-wait', '5s') : undefined;
      const suites = await loadOrExplain(flags.suite);
      const found = await discoverKubeconfigs(flags.kubeconfigs).catch((err: NodeJS.ErrnoException) => {
        throw new CliError(`--kubeconfigs ${flags.kubeconfigs}: ${err.code === 'ENOENT' ? 'no such folder' : err.code === 'ENOTDIR' ? 'not a folder' : err.message}`, EXIT.badInput);
      });
      const { students, skipped } = await keepKubeconfigs(found);
      // With a sheet on stdout, the console lines go to stderr so stdout stays one document.
      const document = reporters.find((r): r is 'json' | 'csv' | 'markdown' => r === 'json' || r === 'csv' || r === 'markdown');
      const consoleOut = document ? process.stderr : process.stdout;
      const out = (line: string) => consoleOut.write(`${line}\n`);
      if (skipped.length) {
        out(`skipped ${skipped.length} file(s) that are not kubeconfigs:`);
        for (const f of skipped) out(`  ${path.basename(f.file)}: ${f.reason}`);
      }
      if (students.length === 0) throw new CliError(`--kubeconfigs ${flags.kubeconfigs}: no kubeconfig files in this folder`, EXIT.badInput);
      // --shard: this machine's contiguous part of the class, in file-name order (kconform merge joins the sheets).
      const kubeconfigs = shard ? shardSlice(students, shard) : students;
      if (shard) out(`shard ${shard.index}/${shard.total}: ${kubeconfigs.length} of ${students.length} student(s)${kubeconfigs.length ? ` (${kubeconfigs[0]!.student} .. ${kubeconfigs.at(-1)!.student})` : ''}`);
      out(`kconform grade: ${kubeconfigs.length} cluster(s), ${suites.map((s) => s.suite.name).join(', ')}, ${flags.readOnly ? 'read-only' : 'read-write'}, ${parallel} at a time`);
      const interrupt = interruptController((sig) => out(`${sig}: stopping the batch; clusters being graded clean up first (Ctrl-C again to exit at once)`));
      try {
        const { sheet, files } = await gradeBatch({
          suites,
          kubeconfigs,
          reportsDir: flags.reports,
          parallel,
          clusterTimeoutMs,
          readOnly: flags.readOnly,
          evidence: flags.evidence,
          fixturesDir: repoPath('fixtures'),
          images: probeImages(),
          ...(flags.filter ? { filter: flags.filter } : {}),
          selection,
          ...(shard ? { shard } : {}),
          ...(retries !== undefined ? { retries } : {}),
          ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
          signal: interrupt.signal,
          progress: (line) => out(`  ${line}`),
        });
        out(summary(sheet));
        out(`score sheet: ${files.join(', ')}`);
        out(`per student: ${path.join(flags.reports, '<student>')}/ (junit.xml, results.json, evidence/)`);
        if (reporters.includes('github')) consoleOut.write(`${sheetAnnotations(sheet).join('\n')}\n`);
        if (document) process.stdout.write(sheetDocument(document, sheet));
        const unreachable = sheet.students.filter((s) => s.outcome === 'unreachable');
        if (interrupt.signal.aborted) process.exitCode = EXIT.interrupted;
        else if (unreachable.length) {
          // Scored 0 with the reason, and reported; the exit code still says the harness could not decide for them.
          out(`${unreachable.length} cluster(s) could not be reached (${unreachable.map((s) => s.student).join(', ')}): exit ${EXIT.harnessError}`);
          process.exitCode = EXIT.harnessError;
        }
      } catch (err) {
        if (err instanceof GradeInputError) throw new CliError(err.message, EXIT.badInput);
        throw err;
      } finally {
        interrupt.dispose();
      }
    });
}

function gradeReportersOf(text: string): GradeReporterName[] {
  const { names, bad, documents } = parseGradeReporters(text);
  if (bad.length) throw new CliError(`--reporter: unknown reporter ${bad.map((b) => `'${b}'`).join(', ')}; expected ${GRADE_REPORTERS.join(', ')}`, EXIT.badInput);
  if (documents.length > 1) throw new CliError(`--reporter: ${documents.join(' and ')} each print the whole score sheet to stdout; choose one (the files get all three)`, EXIT.badInput);
  return names.length ? names : ['console'];
}

/** The sheet in a few terminal lines: one per student, then the shared-cluster flags. */
export function summary(sheet: ScoreSheet): string {
  const width = Math.max(7, ...sheet.students.map((s) => s.student.length));
  const lines = sheet.students.map((s) => {
    const score = `${s.points}/${s.max}`.padStart(9);
    const about = s.outcome === 'unreachable' ? s.reason ?? '' : [s.cluster?.uid ? `uid ${s.cluster.uid.slice(0, 8)}` : undefined, s.cluster?.kubernetesVersion, s.cluster?.nodes !== undefined ? `${s.cluster.nodes} nodes` : undefined, s.reason].filter(Boolean).join('  ');
    const flags = s.flags.length ? `  FLAG: ${s.flags.join('; ')}` : '';
    return `  ${s.student.padEnd(width)} ${score}  ${about}${flags}`;
  });
  const secs = Math.round(sheet.durationMs / 1000);
  return `${lines.join('\n')}\n${sheet.students.length} student(s) graded in ${secs >= 60 ? `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s` : `${secs}s`}`;
}
