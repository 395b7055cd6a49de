import type { Command } from 'commander';
import { runImageScript } from '../../images/scripts.ts';

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('Prepare this machine: install and start Docker if needed, make privileged containers work, raise inotify limits')
    .action(async () => {
      await runImageScript('setup-host.sh', [], { onLine: (l) => process.stdout.write(`${l}\n`) });
    });
}
