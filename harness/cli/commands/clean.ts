import type { Command } from 'commander';
import { connect } from '../connect.ts';
import { LABEL_MANAGED, LABEL_RUN } from '../../plan/ids.ts';
import { sweep } from '../../run/sweep.ts';
import { removeLeftoverMarks } from '../../checks/scheduling/node-marks.ts';
import { sweepNodes } from '../../checks/eviction/sweep-nodes.ts';

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('Delete what kconform left in a cluster (namespaces and objects labelled by kconform)')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster')
    .option('--context <name>', 'kubeconfig context')
    .option('--run <id>', 'only what this run left')
    .option('--dry-run', 'list what would be deleted')
    .action(async (opts: { kubeconfig?: string; context?: string; run?: string; dryRun?: boolean }) => {
      const handle = await connect(opts);
      const { kube } = handle;
      const selector = opts.run ? `${LABEL_RUN}=${opts.run}` : `${LABEL_MANAGED}=kconform`;
      const log = (l: string) => process.stdout.write(`${l}\n`);
      let done = await sweep(kube, selector, { dryRun: !!opts.dryRun, log });
      // Node labels, taints and cordons a killed run could not undo (they carry the run id in their key or value).
      done += await removeLeftoverMarks(kube, log, !!opts.dryRun, opts.run);
      done += await sweepNodes(kube, { dryRun: !!opts.dryRun, log, ...(opts.run ? { onlyRun: opts.run } : {}) });
      process.stdout.write(`${opts.dryRun ? 'would delete' : 'deleted'} ${done} object(s)${opts.run ? ` of run ${opts.run}` : ''}\n`);
      await handle.dispose();
    });
}
