import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { applyConfig, parseConfig } from './config-file.ts';
import { CliError } from './exit-codes.ts';

function program() {
  const p = new Command('kconform').exitOverride();
  p.command('run').option('-o, --output-dir <dir>', 'out', 'reports').option('--parallel <n>', 'p', '1').option('-l, --selector <s>', 'sel', (v: string, prev: string[] | undefined) => [...(prev ?? []), v]).option('--read-only', 'ro').option('--keep [when]', 'k');
  p.command('grade').option('--max-wait <d>', 'w').option('--no-read-only', 'rw').option('--parallel <n>', 'p', '3');
  return p;
}

const problems = (text: string) => {
  try {
    parseConfig(text, `${process.cwd()}/kconform.config.yaml`, program());
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message.split('\n');
  }
  return [];
};

describe('kconform.config.yaml', () => {
  it('names every problem with file:line:col and a did-you-mean', () => {
    expect(problems('paralel: 2\nrun:\n  selectr: x\n  parallel: [1, {a: 2}]\ngrade: 3\n')).toEqual([
      "kconform.config.yaml:1:1 paralel: unknown flag or command; did you mean 'parallel'?",
      "kconform.config.yaml:3:3 run.selectr: unknown flag; did you mean 'selector'?",
      'kconform.config.yaml:4:13 run.parallel: expected a string, number, true/false or a list of strings',
      "kconform.config.yaml:5:8 grade: expected a map of grade's flags",
    ]);
    expect(problems('a: [\n')[0]).toMatch(/^kconform\.config\.yaml:2:1 /);
    expect(problems('- a\n')).toEqual(['kconform.config.yaml:1:1 expected a map of flag names to values']);
  });

  it('fills what the command line left at its default; the command section wins over the top level', async () => {
    const p = program();
    const config = parseConfig('parallel: 4\noutput-dir: out\nselector: ["!slow", "area=network"]\ngrade:\n  parallel: 6\n  read-only: false\n  max-wait: 5s\n', 'c.yaml', p);
    const run = p.commands.find((c) => c.name() === 'run')!;
    run.setOptionValueWithSource('parallel', '2', 'cli');
    expect(applyConfig(config, run, 'run')).toEqual(['output-dir', 'selector']);
    expect(run.opts()).toMatchObject({ parallel: '2', outputDir: 'out', selector: ['!slow', 'area=network'] });
    const grade = p.commands.find((c) => c.name() === 'grade')!;
    applyConfig(config, grade, 'grade');
    expect(grade.opts()).toMatchObject({ parallel: '6', readOnly: false, maxWait: '5s' });
  });
});
