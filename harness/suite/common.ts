// Building blocks shared by the suite schema and every check's spec schema.
import { z } from 'zod';
import { DAY_MS, DURATION_RE, formatDuration, parseDuration } from './durations.ts';

export { DAY_MS, DURATION_RE, MAX_TIMER_MS, formatDuration, parseDuration } from './durations.ts';


/**
 * A duration string bounded to [minMs, maxMs]: a deadline of 0 would fail at once and one
 * of weeks would hang a grader's run. The text is bounded first, so `99999999999h` is
 * never summed into a number past Number.MAX_SAFE_INTEGER.
 */
export function boundedDuration(minMs: number, maxMs: number) {
  const range = `between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`;
  return z
    .string({ error: 'expected a duration like 30s' })
    .max(24, { error: `expected a duration like 30s (${range}), got a string of more than 24 characters`, abort: true })
    .regex(DURATION_RE, { error: 'expected a duration like 30s', abort: true })
    .check((ctx) => {
      const ms = parseDuration(ctx.value);
      if (ms < minMs || ms > maxMs) ctx.issues.push({ code: 'custom', input: ctx.value, message: `expected a duration ${range}, got '${ctx.value}'` });
    });
}

/** Deadlines (timeouts): 1s to 24h. */
export const Duration = boundedDuration(1_000, DAY_MS);
/** Waits and tolerances where 0s means "now, no waiting": 0s to 24h. */
export const Wait = boundedDuration(0, DAY_MS);

export const Name = z
  .string({ error: 'expected a name' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'expected a lowercase name of letters, digits and dashes (a DNS label)',
  })
  .max(40, { error: 'expected at most 40 characters (it becomes part of a namespace name)' });

export const Labels = z.record(z.string(), z.string());

/** Fields every check has, whatever its kind. */
export const commonCheckFields = {
  name: z.string().min(1).optional().describe('Name shown in reports; defaults to the kind.'),
  description: z.string().optional(),
  timeout: Duration.optional().describe('Deadline for the whole check; defaults to the suite timeout.'),
  retries: z.int().min(0).max(10).optional().describe('Extra attempts after a failure; a pass after a failure is reported as flaky.'),
  points: z.number().min(0).max(10_000).optional().describe('Points for a grader; partial credit is split over sub-assertions.'),
  hint: z.string().optional().describe('Shown on failure: what the student should look at.'),
  skip: z.union([z.boolean(), z.string()]).optional().describe('true or a reason: the check is reported as skipped.'),
  labels: Labels.optional().describe('Labels for -l/--selector (kubectl syntax), added to the suite\'s and the built-in ones (kind, suite, area, destructive, slow).'),
};
