import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { suiteJsonSchema } from '../../suite/schema.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of suite files (for editors and CI linting)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { out?: string }) => {
      const text = `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`;
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}
