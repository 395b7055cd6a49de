// `kconform matrix`: the CI matrix (CNI x CRI) on this machine, one cell after
// the other (create, run the suites, delete), cells whose images are missing
// skipped with the reason; then the merged table in reports/matrix/.
// `kconform matrix merge DIRS`: the same table from cells run elsewhere (CI).
// `kconform matrix images`: the images each cell needs, for an air-gapped bundle.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { addClusterOptions, type ClusterFlags } from '../cluster-options.ts';
import { addRunOptions, type RunFlags } from './run.ts';
import { stepPrinter } from '../progress.ts';
import { interruptController } from '../signals.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { CNI_CHOICES, MATRIX_CNIS } from '../../suite/cni-data.ts';
import { cellId, cellLabel, cellWithoutRun, writeCell } from '../../matrix/cell.ts';
import { loadCells } from '../../matrix/load.ts';
import { mergeCells, type MatrixTable } from '../../matrix/merge.ts';
import { matrixMarkdown } from '../../matrix/markdown.ts';
import { writeFileAtomic } from '../../report/atomic-write.ts';
import { appendFile } from 'node:fs/promises';
import { formatDuration } from '../../report/format.ts';
import { addOutputDirOption } from '../output-options.ts';
import { loadOrExplain as loadSuitesOrExplain } from './run.ts';
import type { LoadedSuite } from '../../suite/load.ts';

const CRI_CHOICES = ['containerd', 'docker'] as const;

interface MatrixFlags extends RunFlags, Omit<ClusterFlags, 'cni' | 'cri'> {
  cni: string;
  cri: string;
}

export function parseList<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length || !items.length) throw new CliError(`${flag}: expected a comma-separated list of ${allowed.join(', ')}, got '${text}'`, EXIT.badInput);
  return [...new Set(items)] as T[];
}

export function registerMatrix(program: Command): void {
  const matrix = program
    .command('matrix')
    .description('Run the CNI x CRI matrix here, cell after cell (create, run suites, delete); write the merged table to <reports>/matrix/')
    .argument('[suites...]', 'suite files or folders', ['suites'])
    .addOption(new Option('--cni <list>', `CNIs, comma-separated (${CNI_CHOICES.filter((c) => c !== 'none').join(', ')})`).default(MATRIX_CNIS.join(',')))
    .addOption(new Option('--cri <list>', 'container runtimes, comma-separated (containerd, docker)').default('containerd,docker'));
  addRunOptions(addClusterOptions(matrix, { cniAndCri: false }), { existing: false }).action(async (paths: string[], flags: MatrixFlags) => {
    const suites = await loadSuitesOrExplain(paths);
    if (flags.list) return (await import('../plan-list.ts')).printPlanList(suites, flags);
    process.exitCode = await runMatrix(suites, flags);
  });

  const merge = matrix
    .command('merge')
    .description('Merge matrix cells (folders with cell.json / results.json, e.g. downloaded CI artifacts) into one table')
    .argument('<dirs...>', 'cell folders, or folders holding them')
    .option('--title <text>', 'heading of the Markdown table', 'kconform CNI × CRI matrix')
    .option('--step-summary', 'also append the Markdown to $GITHUB_STEP_SUMMARY (GitHub Actions)');
  addOutputDirOption(merge, path.join('reports', 'matrix'), 'where matrix.md and matrix.json go', ['out']).action(async (dirs: string[], o: { out: string; title: string; stepSummary?: boolean }) => {
      const table = await mergeAndWrite(dirs, o.out, o.title);
      if (o.stepSummary && process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, matrixMarkdown(table, o.title));
      printTable(table, o.out);
      process.exitCode = table.status === 'error' ? EXIT.harnessError : table.status === 'fail' ? EXIT.checkFailed : EXIT.ok;
    });

  matrix
    .command('images')
    .description('The images each cell needs and whether Docker has them; prints the commands to bundle the missing ones')
    .option('--cni <list>', 'CNIs, comma-separated', MATRIX_CNIS.join(','))
    .option('--cri <list>', 'container runtimes, comma-separated', 'containerd,docker')
    .option('--node-image <image>', 'kind node image instead of the offline builder\'s')
    .action(async (o: { cni: string; cri: string; nodeImage?: string }) => {
      const all = new Map<string, boolean>();
      for (const cni of parseList(o.cni, CNI_CHOICES, '--cni')) {
        for (const cri of parseList(o.cri, CRI_CHOICES, '--cri')) {
          const { imagesNeeded, missingImages } = await clusterImages();
          const { needed } = imagesNeeded({ cni, cri, ...(o.nodeImage ? { nodeImage: o.nodeImage } : {}) });
          const missing = new Set(await missingImages(needed));
          process.stdout.write(`${cellLabel(cni, cri)}\n`);
          for (const i of needed) {
            process.stdout.write(`  ${missing.has(i) ? 'missing ' : 'present '} ${i}\n`);
            all.set(i, all.get(i) === false ? false : !missing.has(i));
          }
        }
      }
      const absent = [...all].filter(([, present]) => !present).map(([i]) => i);
      if (absent.length) {
        process.stdout.write(
          `\nOn a machine with registry access:\n  for i in ${absent.join(' ')}; do docker pull "$i"; done\n  docker save -o kconform-images.tar ${absent.join(' ')}\n` +
            'Here: npx kconform images import kconform-images.tar\n(kconform/node* images are built here: npx kconform images build --cri all)\n',
        );
      }
    });
}

async function mergeAndWrite(dirs: string[], out: string, title?: string): Promise<MatrixTable> {
  let table: MatrixTable;
  try {
    table = mergeCells(await loadCells(dirs));
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), EXIT.badInput);
  }
  await writeFileAtomic(path.join(out, 'matrix.json'), `${JSON.stringify(table, null, 2)}\n`);
  await writeFileAtomic(path.join(out, 'matrix.md'), matrixMarkdown(table, title));
  return table;
}

function printTable(t: MatrixTable, out: string): void {
  for (const c of t.cells) {
    const times = [c.createMs !== undefined ? `create ${formatDuration(c.createMs)}` : '', c.suiteMs !== undefined ? `suites ${formatDuration(c.suiteMs)}` : ''].filter(Boolean).join(', ');
    process.stdout.write(`  ${c.status.padEnd(5)} ${c.label.padEnd(28)} ${times.padEnd(28)} ${c.reason}\n`);
  }
  process.stdout.write(`${path.join(out, 'matrix.md')}  ${path.join(out, 'matrix.json')}\n`);
}

async function runMatrix(suites: LoadedSuite[], flags: MatrixFlags): Promise<number> {
  const { runMatrixCell } = await import('../run-session.ts');
  const cnis = parseList(flags.cni, CNI_CHOICES, '--cni');
  const cris = parseList(flags.cri, CRI_CHOICES, '--cri');
  const mirrors = (await import('../kind-bring-up.ts')).parseMirrors(flags);
  const root = path.join(flags.reports, 'matrix');
  const out = stepPrinter();
  let phase = 'starting';
  const interrupt = interruptController((sig) => out.line(`${sig}: stopping the matrix (${phase}); cleaning up, Ctrl-C again to exit at once`));
  const dirs: string[] = [];
  try {
    for (const cni of cnis) {
      for (const cri of cris) {
        if (interrupt.signal.aborted) break;
        const asked = { cni, cri };
        const dir = path.join(root, cellId(cni, cri));
        dirs.push(dir);
        await rm(dir, { recursive: true, force: true });
        out.line(`\n== ${cellLabel(cni, cri)} ==`);
        const skip = await skipReason({ cni, cri, ...(flags.nodeImage ? { nodeImage: flags.nodeImage } : {}), ...(flags.k8sVersion ? { kubernetesVersion: flags.k8sVersion } : {}) }, !!flags.pullImages || mirrors.length > 0);
        if (skip) {
          out.line(`skipped: ${skip}`);
          await writeCell(dir, cellWithoutRun(asked, 'skip', skip));
          continue;
        }
        phase = `creating ${cellLabel(cni, cri)}`;
        await runMatrixCell(suites, { ...flags, cni, cri }, dir, out, interrupt.signal, (p) => (phase = p));
      }
    }
  } finally {
    interrupt.dispose();
  }
  const table = await mergeAndWrite(dirs, root);
  process.stdout.write('\n');
  printTable(table, root);
  if (interrupt.signal.aborted) return EXIT.interrupted;
  return table.status === 'error' ? EXIT.harnessError : table.status === 'fail' ? EXIT.checkFailed : EXIT.ok;
}

/** Why a cell cannot run here: images that are missing and that nothing here can make. */
async function skipReason(o: { cni: string; cri: 'containerd' | 'docker'; nodeImage?: string; kubernetesVersion?: string }, canFetch: boolean): Promise<string | undefined> {
  if (canFetch) return undefined;
  const { imagesNeeded, missingImages } = await clusterImages();
  const { needed, buildable } = imagesNeeded(o);
  const unprovidable = (await missingImages(needed)).filter((i) => !buildable.includes(i));
  return unprovidable.length
    ? `missing images ${unprovidable.join(', ')} (not buildable here: import a bundle with npx kconform images import, or pass --registry-mirror / --pull-images)`
    : undefined;
}

/** What a cell needs and what Docker has: loaded when a matrix runs, not for `matrix merge` or --help. */
async function clusterImages() {
  const [{ imagesNeeded }, { missingImages }] = await Promise.all([import('../../cluster/kind/provider.ts'), import('../../cluster/docker.ts')]);
  return { imagesNeeded, missingImages };
}
