// kconform's command line. Each command lives in commands/ and is listed in
// command-index.ts; this file loads the one that runs and turns errors into one line
// and an exit code.
import { Command, CommanderError, Help } from 'commander';
import { VERSION } from '../version.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { installCrashHandler, internalError } from './signals.ts';
import { COMMANDS, commandNamed } from './command-index.ts';
import { quietOnClosedOutput } from './closed-output.ts';
import { installConfigHook } from './config-hook.ts';
import { installLeanClientNode } from '../kube/lean-client-node.ts';
import { addExamples } from './examples.ts';
import { redactSecretValues, redactText } from '../report/redact.ts';

/**
 * The program for argv: the command argv names is loaded whole (its module, its
 * options, its help); the others are only listed, from the index, so their modules
 * and libraries are never imported.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = rootCommand();
  const wanted = commandNamed(argv, valueOptions(program));
  // Completion describes every command, so it is the one command that loads them all.
  if (wanted?.name === 'completion') return buildFullProgram();
  const listed = new Map<Command, string>();
  for (const entry of COMMANDS) {
    if (entry === wanted) (await entry.load())(program);
    else listed.set(program.command(entry.name).description(entry.description), entry.usage);
  }
  addExamples(program);
  // A listed command has no options or arguments of its own: the index says what to show.
  program.configureHelp({
    subcommandTerm(cmd) {
      const usage = listed.get(cmd);
      return usage === undefined ? Help.prototype.subcommandTerm.call(this, cmd) : `${cmd.name()}${usage ? ` ${usage}` : ''}`;
    },
  });
  return program;
}

function rootCommand(): Command {
  const program = new Command('kconform')
    .description('Declarative Kubernetes conformance runner')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  installConfigHook(program);
  return program;
}

/** The root's options that take a value (--config FILE): their values are not command names. */
function valueOptions(program: Command): string[] {
  return program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
}

/** Every command loaded whole: for tools that need the whole tree (completion, the README test). */
export async function buildFullProgram(): Promise<Command> {
  const program = rootCommand();
  for (const entry of COMMANDS) (await entry.load())(program);
  addExamples(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // Before any command module loads the kube layer (see lean-client-node.ts).
  installLeanClientNode();
  installCrashHandler();
  quietOnClosedOutput();
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return afterInternalError() ?? (process.exitCode === undefined ? EXIT.ok : Number(process.exitCode));
  } catch (err) {
    const crashed = afterInternalError();
    if (crashed !== undefined) return crashed;
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (err instanceof CliError) {
      // Multi-line messages (suite problems, one per line) are printed as they are.
      const text = redactSecretValues(err.message);
      process.stderr.write(text.includes('\n') ? `${text}\n` : `kconform: ${text}\n`);
      return err.code;
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`kconform: internal error: ${redactText(msg)}\n`);
    if (process.env.KCONFORM_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${redactText(err.stack)}\n`);
    return EXIT.harnessError;
  }
}

/** After an escaped error the command was wound down like a Ctrl-C: say so, exit 3. */
function afterInternalError(): number | undefined {
  const line = internalError();
  if (line === undefined) return undefined;
  process.stderr.write(`kconform: ${line}; the run was stopped and cleaned up (KCONFORM_DEBUG=1 prints the stack)\n`);
  return EXIT.harnessError;
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
