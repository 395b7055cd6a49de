// Building blocks shared by the suite schema and every check's spec schema.
import { z } from 'zod';

/** "30s", "2m", "1m30s", "500ms", "1h". */
export const DURATION_RE = /^(\d+(ms|s|m|h))+$/;

export const Duration = z
  .string({ error: 'expected a duration like 30s' })
  .regex(DURATION_RE, { error: 'expected a duration like 30s' });

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
  points: z.number().min(0).optional().describe('Points for a grader; partial credit is split over sub-assertions.'),
  hint: z.string().optional().describe('Shown on failure: what the student should look at.'),
  skip: z.union([z.boolean(), z.string()]).optional().describe('true or a reason: the check is reported as skipped.'),
  labels: Labels.optional().describe('Labels for -l/--selector (kubectl syntax), added to the suite\'s and the built-in ones (kind, suite, area, destructive, slow).'),
};

export function parseDuration(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    const n = Number(m[1]);
    ms += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
  }
  return ms;
}
