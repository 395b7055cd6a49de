// The command index against the commands it stands for: `--help` must list each
// command exactly as its own module would, every command module must be in the
// index, and a command's module (with its libraries) is imported only when it runs.
import { readdir } from 'node:fs/promises';
import { Help } from 'commander';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandNamed } from './command-index.ts';
import { buildProgram } from './main.ts';
import { repoPath } from '../paths.ts';

/** The files and packages a run of `kconform ARGS` imports, from an in-thread resolve hook. */
async function importsOf(args: string[]): Promise<string[]> {
  const hook = "import{registerHooks}from'node:module';registerHooks({resolve(s,c,n){const r=n(s,c);process.stderr.write('IMPORT '+r.url+'\\n');return r}})";
  const r = await execa('node', ['--import', `data:text/javascript,${hook}`, repoPath('harness', 'cli', 'main.ts'), ...args], { reject: false, preferLocal: true, cwd: repoPath(), env: { CI: 'true' } });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return String(r.stderr)
    .split('\n')
    .filter((l) => l.startsWith('IMPORT file:'))
    .map((l) => l.slice('IMPORT file://'.length).replace(repoPath(), ''));
}

describe('command index', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('lists %s as its module registers it', async (name, entry) => {
    const program = await buildProgram([name]);
    const real = program.commands.find((c) => c.name() === name);
    expect(real, `${name}: its module registers no command of that name`).toBeDefined();
    expect(new Help().subcommandTerm(real!)).toBe(`${name}${entry.usage ? ` ${entry.usage}` : ''}`);
    expect(real!.description()).toBe(entry.description);
  });

  it('has every command module of commands/ (a new one needs its line)', async () => {
    const files = (await readdir(repoPath('harness', 'cli', 'commands'))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const indexed = new Set(await Promise.all(COMMANDS.map((c) => c.load())));
    for (const f of files) {
      const mod = (await import(repoPath('harness', 'cli', 'commands', f))) as Record<string, unknown>;
      const registers = Object.entries(mod).filter(([k, v]) => k.startsWith('register') && typeof v === 'function');
      for (const [k, fn] of registers) expect(indexed.has(fn as never), `commands/${f} exports ${k}, which command-index.ts does not list`).toBe(true);
    }
  });

  it('finds the command argv names, also behind `help`', () => {
    expect(commandNamed(['validate', 'suites'])?.name).toBe('validate');
    expect(commandNamed(['help', 'images'])?.name).toBe('images');
    expect(commandNamed(['--version'])).toBeUndefined();
    expect(commandNamed(['nope'])).toBeUndefined();
    // A value of a root option is not a command name.
    expect(commandNamed(['--config', 'run', 'validate'], ['--config'])?.name).toBe('validate');
  });

  it('lists every command with --help without importing any command module', async () => {
    const seen = await importsOf(['--help']);
    expect(seen).toContain('/harness/cli/command-index.ts');
    expect(seen.filter((f) => f.includes('/cli/commands/'))).toEqual([]);
    // No kconform.config.yaml here: the config parser and yaml stay unloaded.
    expect(seen.filter((f) => f.endsWith('/cli/config-file.ts') || f.includes('node_modules/yaml/'))).toEqual([]);
  }, 60_000);

  it("loads no Kubernetes client, HTTP client or schema library for a run command's --help", async () => {
    const seen = await importsOf(['run', '--help']);
    expect(seen).toContain('/harness/cli/commands/run.ts');
    expect(seen.filter((f) => /node_modules\/(@kubernetes|undici|execa|zod|yaml)\//.test(f))).toEqual([]);
  }, 60_000);

  it('imports only the module of the command that runs, and not the Kubernetes client for validate', async () => {
    const seen = await importsOf(['validate', 'suites/nodes.yaml']);
    expect(new Set(seen.filter((f) => f.includes('/cli/commands/')))).toEqual(new Set(['/harness/cli/commands/validate.ts']));
    expect(seen.filter((f) => /node_modules\/(@kubernetes|undici|execa)\//.test(f))).toEqual([]);
  }, 60_000);
});
