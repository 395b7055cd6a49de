// `kconform completion bash|zsh|fish`: prints the shell's completion script.
import type { Command } from 'commander';
import { Argument } from 'commander';
import { bashScript, fishScript, zshScript } from '../completion.ts';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (commands, flags, flag values)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      process.stdout.write(shell === 'bash' ? bashScript(program) : shell === 'zsh' ? zshScript(program) : fishScript(program));
    });
}
