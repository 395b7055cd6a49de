import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { addClusterOptions, DEFAULT_CLUSTER, type ClusterFlags } from '../cluster-options.ts';
import { bringUp } from '../kind-bring-up.ts';
import { stepPrinter } from '../progress.ts';
import { interruptController } from '../signals.ts';
import { kindClusters, kindDelete, kindExportKubeconfig } from '../../cluster/kind/kind-cli.ts';
import { kubeconfigPathFor } from '../../cluster/kind/provider.ts';
import { rm } from 'node:fs/promises';
import { connect } from '../connect.ts';
import { healthLines } from '../../cluster/health-lines.ts';
import { CliError, EXIT } from '../exit-codes.ts';

export function registerCluster(program: Command): void {
  const cluster = program.command('cluster').description('Create, inspect and delete kind test clusters');
  addClusterOptions(cluster.command('up').description('Create a kind cluster (images built first if missing) and wait until it is ready')).action(async (flags: ClusterFlags) => {
    const out = stepPrinter();
    const interrupt = interruptController(() => out.line('interrupted: deleting the half-made cluster (Ctrl-C again to exit at once)'));
    try {
      const h = await bringUp(flags, out, interrupt.signal, { keep: true });
      out.done(`cluster ${h.name} ready`);
      process.stdout.write(`kubeconfig: ${h.kubeconfigPath}\n  export KUBECONFIG=${h.kubeconfigPath}\n`);
    } finally {
      interrupt.dispose();
    }
  });
  cluster
    .command('down')
    .description('Delete a kind cluster and its kubeconfig')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(async (o: { name: string }) => {
      const path = kubeconfigPathFor(o.name);
      if (!(await kindClusters()).includes(o.name)) process.stdout.write(`no kind cluster named ${o.name}\n`);
      else {
        await kindDelete(o.name, path);
        process.stdout.write(`deleted cluster ${o.name}\n`);
      }
      await rm(path, { force: true });
    });
  cluster
    .command('status')
    .description('Nodes, version, CNI and CRI of a kind cluster')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .action(async (o: { name: string }) => {
      if (!(await kindClusters()).includes(o.name)) throw new CliError(`no kind cluster named ${o.name} (create it with: npx kconform cluster up)`, EXIT.harnessError);
      const path = kubeconfigPathFor(o.name);
      await kindExportKubeconfig(o.name, path);
      const handle = await connect({ kubeconfig: path }, o.name);
      try {
        const { info } = handle;
        process.stdout.write(`${info.name}: ${info.nodes} nodes, Kubernetes ${info.kubernetesVersion}, CNI ${info.cni}, CRI ${info.cri}\nkubeconfig: ${path}\n`);
        // Problems with their causes (a crash-looping CNI agent's log...) and leftovers of earlier runs.
        const lines = await healthLines(handle.kube, handle.shape);
        process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'no problem seen in nodes, CNI, kube-proxy or CoreDNS\n');
      } finally {
        await handle.dispose();
      }
    });
  cluster
    .command('kubeconfig')
    .description('Print the path of (or with --print, the) kubeconfig of a kind cluster')
    .option('--name <name>', 'cluster name', DEFAULT_CLUSTER)
    .option('--print', 'print the file itself (contains credentials)')
    .action(async (o: { name: string; print?: boolean }) => {
      const path = kubeconfigPathFor(o.name);
      await kindExportKubeconfig(o.name, path);
      process.stdout.write(o.print ? await readFile(path, 'utf8') : `${path}\n`);
    });
}
