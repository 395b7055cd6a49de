import type { Command } from 'commander';
import { runImageScript } from '../../images/scripts.ts';

export function registerImages(program: Command): void {
  const images = program.command('images').description('Build, list and import the images a cluster needs (offline builder)');
  const print = (l: string) => process.stdout.write(`${l}\n`);
  images
    .command('build')
    .description('Build every image of the testbed from Go modules and Debian packages (cached in ~/.cache/kconform)')
    .option('--k8s-version <v>', 'Kubernetes version (see harness/images/versions.env)')
    .option('--cri <cri>', 'containerd or docker node image', 'containerd')
    .option('--only <name>', 'build only this artefact')
    .option('--force', 'rebuild even when cached')
    .action(async (o: { k8sVersion?: string; cri: string; only?: string; force?: boolean }) => {
      await runImageScript('build.sh', buildArgs(o), { onLine: print });
    });
  images
    .command('status')
    .description('Per image: cached, loaded into Docker, or missing')
    .option('--k8s-version <v>', 'Kubernetes version')
    .option('--json', 'machine-readable')
    .action(async (o: { k8sVersion?: string; json?: boolean }) => {
      await runImageScript('status.sh', [...(o.k8sVersion ? ['--k8s-version', o.k8sVersion] : []), ...(o.json ? ['--json'] : [])], { onLine: print });
    });
  images
    .command('import')
    .description('Load a `docker save` bundle brought from a machine with registry access')
    .argument('<file>', 'tar file')
    .action(async (file: string) => {
      await runImageScript('import.sh', [file], { onLine: print });
    });
}

export function buildArgs(o: { k8sVersion?: string; cri?: string; only?: string; force?: boolean }): string[] {
  return [
    ...(o.k8sVersion ? ['--k8s-version', o.k8sVersion] : []),
    ...(o.cri ? ['--cri', o.cri] : []),
    ...(o.only ? ['--only', o.only] : []),
    ...(o.force ? ['--force'] : []),
  ];
}
