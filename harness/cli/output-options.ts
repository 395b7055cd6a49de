// Output flags every command that writes reports shares: one folder flag,
// -o/--output-dir (the older --reports and --out still work, hidden), and
// --reporter for what goes to stdout (console, json, junit, github).
import { Option, type Command } from 'commander';
import { parseReporterList, STDOUT_REPORTERS, type StdoutReporterName } from '../report/stdout-reporter-names.ts';
import { CliError, EXIT } from './exit-codes.ts';

/**
 * Adds `-o, --output-dir <dir>` with its default and the old names as hidden
 * aliases; the value always lands in the `reports` key (what the commands read).
 */
export function addOutputDirOption(cmd: Command, defaultDir: string, description: string, aliases: readonly string[] = ['reports']): Command {
  cmd.addOption(new Option('-o, --output-dir <dir>', description).default(defaultDir));
  for (const a of aliases) cmd.addOption(new Option(`--${a} <dir>`, `same as --output-dir`).hideHelp());
  cmd.hook('preAction', (_root, action) => {
    if (action !== cmd) return;
    const given = aliases.filter((a) => cmd.getOptionValueSource(a) === 'cli');
    const fromAlias = given.length ? (cmd.getOptionValue(given[given.length - 1]!) as string) : undefined;
    if (fromAlias !== undefined && cmd.getOptionValueSource('outputDir') === 'cli' && fromAlias !== cmd.getOptionValue('outputDir')) {
      throw new CliError(`--output-dir and --${given[0]} name different folders; give one`, EXIT.badInput);
    }
    // commander lets a parent with the same flag (matrix, for `matrix merge -o X`) take it after the subcommand's name.
    const parent = cmd.parent;
    const fromParent = cmd.getOptionValueSource('outputDir') !== 'cli' && fromAlias === undefined && parent?.getOptionValueSource('outputDir') === 'cli' ? (parent.getOptionValue('outputDir') as string) : undefined;
    if (fromParent !== undefined) cmd.setOptionValueWithSource('outputDir', fromParent, 'cli');
    cmd.setOptionValueWithSource('reports', fromAlias ?? cmd.getOptionValue('outputDir'), cmd.getOptionValueSource('outputDir') ?? 'default');
    if (aliases.includes('out')) cmd.setOptionValueWithSource('out', fromAlias ?? cmd.getOptionValue('outputDir'), 'default');
  });
  return cmd;
}

export function addReporterOption(cmd: Command): Command {
  return cmd.option('--reporter <names>', `what goes to stdout, comma-separated: ${STDOUT_REPORTERS.join(', ')} (json/junit: the report itself, console lines move to stderr; github: annotations for GitHub Actions)`, 'console');
}

export function reportersOf(text: string | undefined): StdoutReporterName[] {
  const { names, bad, conflict } = parseReporterList(text ?? 'console');
  if (bad.length) throw new CliError(`--reporter: unknown reporter ${bad.map((b) => `'${b}'`).join(', ')}; expected ${STDOUT_REPORTERS.join(', ')}`, EXIT.badInput);
  if (conflict) throw new CliError('--reporter: json and junit both print a document to stdout; choose one (the files get both)', EXIT.badInput);
  return names.length ? names : ['console'];
}
