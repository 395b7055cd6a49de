import type { Command } from 'commander';
import { suiteSchemaText, writeSuiteSchema } from '../../suite/json-schema.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of suite files (for editors and CI linting)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { out?: string }) => {
      if (opts.out) await writeSuiteSchema(opts.out);
      // Wait until stdout took it all: the CLI exits right after, and a pipe read by a
      // slow consumer would otherwise get a schema cut off (it is >64 KB).
      // A reader that closed early (`| head -1`) is not a failure: EPIPE ends it quietly.
      else
        await new Promise<void>((resolve, reject) =>
          process.stdout.write(suiteSchemaText(), (err) => (!err || (err as NodeJS.ErrnoException).code === 'EPIPE' ? resolve() : reject(err))),
        );
    });
}
