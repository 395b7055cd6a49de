import type { Command } from 'commander';
import { suiteSchemaText, writeSuiteSchema } from '../../suite/json-schema.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of suite files (for editors and CI linting)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { out?: string }) => {
      if (opts.out) await writeSuiteSchema(opts.out);
      else process.stdout.write(suiteSchemaText());
    });
}
