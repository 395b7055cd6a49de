// Every check kind's spec schema. Adding a kind: one spec file, one line here,
// one line in harness/checks/registry.ts.
import { z } from 'zod';
import { NodesSpec } from './nodes.ts';

export const CheckSpec = z.discriminatedUnion('kind', [NodesSpec], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `expected kind to be one of: ${CHECK_KINDS.join(', ')}`
      : issue.code === 'invalid_type'
        ? 'expected a check: a map with a kind and its settings'
        : undefined,
});
export type CheckSpec = z.infer<typeof CheckSpec>;
export type CheckKind = CheckSpec['kind'];
export const CHECK_KINDS: readonly string[] = ['nodes'];

export { NodesSpec };
