// A check kind for tests only (kinds.test.ts): the smallest folder a kind needs, a
// spec and a run, to show that a new kind is its folder plus one entry in a list.
import { z } from 'zod';
import { commonCheckFields } from '../../../suite/common.ts';

export const EchoSpec = z
  .strictObject({
    kind: z.literal('echo'),
    ...commonCheckFields,
    text: z.string().describe('What the check reads.'),
    expect: z.string().describe('What it must be.'),
  })
  .describe('Test fixture: passes when text is what was expected.');
export type EchoSpec = z.infer<typeof EchoSpec>;
