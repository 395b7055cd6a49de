// The program-level hook of kconform.config.yaml (config-file.ts): finds the file
// before a command runs and, only when there is one, loads the parser (and yaml)
// to check and apply it. Most starts have no config file and load neither.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT } from './exit-codes.ts';

export const CONFIG_NAMES = ['kconform.config.yaml', path.join('suites', 'kconform.config.yaml')];
const MAX_BYTES = 256 * 1024;

export async function findConfigFile(explicit: string | undefined, cwd = process.cwd()): Promise<{ file: string; text: string } | undefined> {
  const candidates = explicit ? [path.resolve(cwd, explicit)] : CONFIG_NAMES.map((n) => path.join(cwd, n));
  for (const file of candidates) {
    let text: string;
    try {
      const buf = await readFile(file);
      if (buf.length > MAX_BYTES) throw new CliError(`${file}: larger than ${MAX_BYTES / 1024} KiB; not a kconform config file`, EXIT.badInput);
      text = buf.toString('utf8');
    } catch (err) {
      if (err instanceof CliError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) continue;
      throw new CliError(`--config ${explicit ?? file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, EXIT.badInput);
    }
    return { file, text };
  }
  return undefined;
}

/** Find, check and apply the config for the command about to run. */
export function installConfigHook(program: Command): void {
  program.option('--config <file>', 'flag defaults from this YAML file (default: ./kconform.config.yaml or ./suites/kconform.config.yaml)');
  program.hook('preAction', async (root, action) => {
    const explicit = root.opts().config as string | undefined;
    const found = await findConfigFile(explicit ?? process.env.KCONFORM_CONFIG);
    if (!found) return;
    const { applyConfig, parseConfig } = await import('./config-file.ts');
    const config = parseConfig(found.text, found.file, root);
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== root; c = c.parent) names.unshift(c.name());
    const applied = applyConfig(config, action, names.join(' '));
    if (applied.length && process.env.KCONFORM_QUIET_CONFIG !== '1') process.stderr.write(`kconform: defaults from ${path.relative(process.cwd(), found.file) || found.file}: ${applied.join(', ')}\n`);
  });
}
