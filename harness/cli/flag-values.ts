// Numeric and duration flag values, checked once with a message naming the flag.
import { DAY_MS, DURATION_RE, formatDuration, parseDuration } from '../suite/durations.ts';
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

/** A duration flag, 0s to 24h unless said otherwise (a timer never gets more than 2^31-1 ms). */
export function durationMs(v: string, flag: string, example: string, bounds: { minMs?: number; maxMs?: number } = {}): number {
  const { minMs = 0, maxMs = DAY_MS } = bounds;
  if (v.length > 24 || !DURATION_RE.test(v)) throw new CliError(`${flag}: expected a duration like ${example}, got '${v.slice(0, 40)}'`, EXIT.badInput);
  const ms = parseDuration(v);
  if (ms < minMs || ms > maxMs) throw new CliError(`${flag}: expected a duration between ${formatDuration(minMs)} and ${formatDuration(maxMs)}, got '${v}'`, EXIT.badInput);
  return ms;
}

