export { EXIT, exitCodeOf } from '../results/exit-codes.ts';

/** An error the CLI prints as one line and exits with `code`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}
