import type { Command } from 'commander';
import { loadSuites, SuiteError } from '../../suite/load.ts';
import { CliError, EXIT } from '../exit-codes.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check suite files against the schema without touching any cluster')
    .argument('[paths...]', 'suite files or folders', ['suites'])
    .action(async (paths: string[]) => {
      try {
        const suites = await loadSuites(paths);
        const checks = suites.reduce((n, s) => n + s.suite.checks.length, 0);
        process.stdout.write(`${suites.length} suite(s), ${checks} check(s): valid\n`);
      } catch (err) {
        if (err instanceof SuiteError) throw new CliError(err.format(), EXIT.badInput);
        throw err;
      }
    });
}
