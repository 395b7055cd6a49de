export const EXIT = {
  ok: 0,
  checkFailed: 1,
  badInput: 2,
  harnessError: 3,
  interrupted: 130,
} as const;

/** An error the CLI prints as one line and exits with `code`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}
