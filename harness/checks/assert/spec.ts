// The `assert` check: a partial object matched against live resources. The
// operator list and its validation live here (the suite side) so a misspelt
// operator fails at load time with its line and column, before any cluster work.
import { z } from 'zod';
import { Wait, commonCheckFields } from '../../suite/common.ts';
import { closestMatch } from '../../suite/did-you-mean.ts';

/** Operators an `expect` tree may use as map keys; everything else is a field name. */
export const ASSERT_OPERATORS = [
  '$exists',
  '$regex',
  '$contains',
  '$eq',
  '$in',
  '$not',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$count',
  '$minCount',
  '$maxCount',
  '$some',
  '$all',
  '$none',
] as const;
export type AssertOperator = (typeof ASSERT_OPERATORS)[number];

export const ResourceSelector = z
  .strictObject({
    apiVersion: z.string().min(1).describe('API version of the kind, e.g. v1 or apps/v1.'),
    kind: z.string().min(1).describe('Kind of the objects, e.g. Pod, Service, Deployment, Node.'),
    name: z.string().min(1).optional().describe('One object by name; without it every object of the selection is a candidate.'),
    namespace: z.string().min(1).optional().describe("Namespace of the objects (default: the suite's namespace; ignored for cluster-scoped kinds)."),
    labelSelector: z.string().min(1).optional().describe('Label selector, e.g. app=web,tier!=cache.'),
    fieldSelector: z.string().min(1).optional().describe('Field selector, e.g. status.phase=Running.'),
  })
  .describe('Which live objects are candidates: one by name, or a list by labels/fields in a namespace.');
export type ResourceSelector = z.infer<typeof ResourceSelector>;

export interface OperatorProblem {
  path: (string | number)[];
  message: string;
}

const NUMBER_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);
const COUNT_OPS = new Set(['$count', '$minCount', '$maxCount']);
const MATCHER_OPS = new Set(['$not', '$some', '$all', '$none']);

/** Unknown operators and operands of the wrong type, anywhere in an expect tree. */
export function operatorProblems(value: unknown, path: (string | number)[] = []): OperatorProblem[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => operatorProblems(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  const out: OperatorProblem[] = [];
  for (const [key, operand] of Object.entries(value)) {
    const here = [...path, key];
    if (!key.startsWith('$')) {
      out.push(...operatorProblems(operand, here));
      continue;
    }
    if (!(ASSERT_OPERATORS as readonly string[]).includes(key)) {
      const near = closestMatch(key, ASSERT_OPERATORS);
      out.push({ path: here, message: `unknown operator '${key}'${near ? `; did you mean '${near}'?` : ''} (operators: ${ASSERT_OPERATORS.join(', ')})` });
      continue;
    }
    if (key === '$exists' && typeof operand !== 'boolean') out.push({ path: here, message: '$exists: expected true or false' });
    if ((key === '$regex' || key === '$contains') && typeof operand !== 'string' && !(key === '$contains' && (typeof operand === 'number' || typeof operand === 'boolean'))) {
      out.push({ path: here, message: `${key}: expected a string` });
    }
    if (key === '$regex' && typeof operand === 'string') {
      try {
        new RegExp(operand);
      } catch (e) {
        out.push({ path: here, message: `$regex: not a valid regular expression (${(e as Error).message})` });
      }
    }
    if (key === '$in' && !Array.isArray(operand)) out.push({ path: here, message: '$in: expected a list of values' });
    if (NUMBER_OPS.has(key) && typeof operand !== 'number') out.push({ path: here, message: `${key}: expected a number` });
    if (COUNT_OPS.has(key) && !(typeof operand === 'number' && Number.isInteger(operand) && operand >= 0)) {
      out.push({ path: here, message: `${key}: expected a whole number of 0 or more` });
    }
    if (MATCHER_OPS.has(key)) out.push(...operatorProblems(operand, here));
  }
  return out;
}

export const AssertExpect = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    for (const p of operatorProblems(value)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  })
  .describe(
    'Partial object: maps match partially, scalars must be equal, a list must contain a matching element for each element written. ' +
      'Operators: $exists, $regex, $contains, $eq (exact), $in, $not, $gt/$gte/$lt/$lte, $count/$minCount/$maxCount (list length), ' +
      '$some/$all/$none (list elements).',
  );

export const AssertSpec = z
  .strictObject({
    kind: z.literal('assert'),
    ...commonCheckFields,
    resource: ResourceSelector,
    expect: AssertExpect.optional(),
    all: z.boolean().optional().describe('Every candidate must match (default: at least one).'),
    count: z.int().min(0).max(100_000).optional().describe('Exactly this many candidates must match.'),
    minCount: z.int().min(0).max(100_000).optional().describe('At least this many candidates must match.'),
    maxCount: z.int().min(0).max(100_000).optional().describe('At most this many candidates may match.'),
    wait: Wait.optional().describe('How long the objects may take to match (watch-based) before the check fails (default 30s).'),
  })
  .describe('Partial match of live objects (Chainsaw-like): fetch by name or list by labels; pass when enough candidates match; on failure the last mismatch as a diff of the asserted fields.');
export type AssertSpec = z.infer<typeof AssertSpec>;
