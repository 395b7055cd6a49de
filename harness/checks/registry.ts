// Check kind -> implementation. The spec union in harness/suite/specs/index.ts
// lists the same kinds; the mapped type makes a missing entry a compile error.
import type { CheckKind, CheckSpec } from '../suite/specs/index.ts';
import type { CheckDefinition } from './types.ts';
import { nodesCheck } from './nodes/check.ts';

type Registry = { [K in CheckKind]: CheckDefinition<Extract<CheckSpec, { kind: K }>> };

const REGISTRY: Registry = {
  nodes: nodesCheck,
};

export function getCheck(kind: CheckKind): CheckDefinition {
  return REGISTRY[kind] as unknown as CheckDefinition;
}

export function allChecks(): CheckDefinition[] {
  return Object.values(REGISTRY) as unknown as CheckDefinition[];
}
