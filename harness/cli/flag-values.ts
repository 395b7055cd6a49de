// Numeric and duration flag values, checked once with a message naming the flag.
import { DURATION_RE, parseDuration } from '../suite/common.ts';
import { CliError, EXIT } from './exit-codes.ts';

export function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag}: expected a whole number of at least 1, got '${v}'`, EXIT.badInput);
  return n;
}

export function nonNegativeInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${flag}: expected a whole number of 0 or more, got '${v}'`, EXIT.badInput);
  return n;
}

export function durationMs(v: string, flag: string, example: string): number {
  if (!DURATION_RE.test(v)) throw new CliError(`${flag}: expected a duration like ${example}, got '${v}'`, EXIT.badInput);
  return parseDuration(v);
}
