// -o/--output-dir everywhere, with the old names as aliases, also on a subcommand
// whose parent has the flag too (commander gives such a flag to the parent).
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from './main.ts';

async function outOf(args: string[], path: string[]): Promise<unknown> {
  const p = await buildProgram(args);
  let cmd: Command = p;
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
  let got: unknown;
  cmd.action(function (this: Command) {
    got = this.opts().reports;
  });
  await p.parseAsync(args, { from: 'user' });
  return got;
}

describe('-o, --output-dir', () => {
  it('is the folder of run, grade, merge and matrix merge; --reports and --out still work', async () => {
    expect(await outOf(['run', '-o', 'x'], ['run'])).toBe('x');
    expect(await outOf(['run', '--reports', 'y'], ['run'])).toBe('y');
    expect(await outOf(['run'], ['run'])).toBe('reports');
    expect(await outOf(['grade', '--output-dir', 'g'], ['grade'])).toBe('g');
    expect(await outOf(['grade'], ['grade'])).toBe('reports/grades');
    expect(await outOf(['merge', 'a', '-o', 'm'], ['merge'])).toBe('m');
    expect(await outOf(['matrix', 'merge', 'cells', '-o', 'X'], ['matrix', 'merge'])).toBe('X');
    expect(await outOf(['matrix', 'merge', 'cells', '--out', 'Y'], ['matrix', 'merge'])).toBe('Y');
    expect(await outOf(['matrix', 'merge', 'cells'], ['matrix', 'merge'])).toBe('reports/matrix');
  });
});
