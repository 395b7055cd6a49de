// kconform's command line. Each command lives in commands/; this file wires them
// and turns errors into one line and an exit code.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { installCrashHandler, internalError } from './signals.ts';
import { registerRun } from './commands/run.ts';
import { registerValidate } from './commands/validate.ts';
import { registerSchema } from './commands/schema.ts';
import { registerClean } from './commands/clean.ts';
import { registerSetup } from './commands/setup.ts';
import { registerImages } from './commands/images.ts';
import { registerCluster } from './commands/cluster.ts';
import { registerConformance } from './commands/conformance.ts';
import { registerGrade } from './commands/grade.ts';
import { registerRbac } from './commands/rbac.ts';
import { registerMatrix } from './commands/matrix.ts';
import { registerMerge } from './commands/merge.ts';
import { registerCompletion } from './commands/completion.ts';
import { installConfigHook } from './config-file.ts';
import { addExamples } from './examples.ts';
import { redactText } from '../report/redact.ts';

export function buildProgram(): Command {
  const program = new Command('kconform')
    .description('Declarative Kubernetes conformance runner')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  installConfigHook(program);
  registerRun(program);
  registerValidate(program);
  registerSchema(program);
  registerClean(program);
  registerConformance(program);
  registerSetup(program);
  registerImages(program);
  registerCluster(program);
  registerGrade(program);
  registerRbac(program);
  registerMatrix(program);
  registerMerge(program);
  registerCompletion(program);
  addExamples(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  installCrashHandler();
  const program = buildProgram();
  try {
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
      const text = redactText(err.message);
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
