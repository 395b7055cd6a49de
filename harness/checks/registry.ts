// Check kind -> its run, loaded from the kind list (kinds.ts) when this module is first
// imported. The mapped type holds every run to the full contract for its own spec: a
// run that does not fit its kind's spec does not compile.
import type { z } from 'zod';
import { KINDS, type CheckKind } from './kinds.ts';
import type { KindList } from './kind-list.ts';
import type { CheckDefinition } from './types.ts';

/** Each kind of a list -> a CheckDefinition of that kind's spec. */
export type Registry<T extends KindList> = { [K in keyof T]: CheckDefinition<z.infer<T[K]['spec']>> };
type Loaded<T extends KindList> = { [K in keyof T]: Awaited<ReturnType<T[K]['run']>> };

/** Loads every run of a list (in parallel), by kind. */
export async function loadRuns<T extends KindList>(list: T): Promise<Loaded<T>> {
  const entries = await Promise.all(Object.entries(list).map(async ([kind, entry]) => [kind, await entry.run()] as const));
  return Object.fromEntries(entries) as Loaded<T>;
}

const REGISTRY: Registry<typeof KINDS> = await loadRuns(KINDS);

export function getCheck(kind: CheckKind): CheckDefinition {
  return REGISTRY[kind] as CheckDefinition;
}

export function allChecks(): CheckDefinition[] {
  return Object.values(REGISTRY) as CheckDefinition[];
}
