import type { Command } from 'commander';
import { addClusterOptions, type ClusterFlags } from '../cluster-options.ts';
import { addRunOptions, conformanceOnKind, type RunFlags } from './run.ts';

export function registerConformance(program: Command): void {
  const cmd = program
    .command('conformance')
    .description('The whole job: set up Docker, build images if missing, create a kind cluster (shaped by the flags and the suites\' cluster: blocks), run every suite, write reports, delete the cluster')
    .argument('[suites...]', 'suite files or folders', ['suites']);
  addRunOptions(addClusterOptions(cmd), { existing: false }).action(async (paths: string[], flags: ClusterFlags & RunFlags, self: Command) => {
    process.exitCode = await conformanceOnKind(paths, flags, self);
  });
}
