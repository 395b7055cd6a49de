import type { Command } from 'commander';
import { addClusterOptions, bringUp, type ClusterFlags } from '../cluster-options.ts';
import { addRunOptions, exitCodeOf, runSuites, type RunFlags } from './run.ts';
import { stepPrinter } from '../progress.ts';
import { interruptController } from '../signals.ts';
import { EXIT } from '../exit-codes.ts';

export function registerConformance(program: Command): void {
  const cmd = program
    .command('conformance')
    .description('The whole job: set up Docker, build images if missing, create a kind cluster, run every suite, write reports, delete the cluster')
    .argument('[suites...]', 'suite files or folders', ['suites']);
  addRunOptions(addClusterOptions(cmd)).action(async (paths: string[], flags: ClusterFlags & RunFlags) => {
    const out = stepPrinter();
    let phase = 'creating the cluster';
    const interrupt = interruptController((sig) => out.line(`${sig}: stopping (${phase}); cleaning up, Ctrl-C again to exit at once`));
    const handle = await bringUp(flags, out, interrupt.signal);
    try {
      out.done(`cluster ${handle.name} ready`);
      phase = 'running suites';
      const result = await runSuites(paths, { ...flags, kubeconfig: handle.kubeconfigPath }, { name: 'kind', cluster: handle.name }, interrupt.signal);
      process.exitCode = exitCodeOf(result);
    } catch (err) {
      process.exitCode = EXIT.harnessError;
      throw err;
    } finally {
      phase = 'deleting the cluster';
      if (flags.keepCluster) process.stderr.write(`kept cluster ${handle.name}: KUBECONFIG=${handle.kubeconfigPath}; delete it with: npx kconform cluster down --name ${handle.name}\n`);
      await handle.release();
      interrupt.dispose();
    }
  });
}
