// What one entry of the kind list (harness/checks/kinds.ts) holds, and what is derived
// from a list: the suite's union of check specs and the kind names. Free of run code,
// so the suite loader may import it: a kind's run is named by a lazy loader only, and
// the registry (registry.ts) loads it and holds it to the full CheckDefinition.
import { z } from 'zod';

/** The area a check tests: a built-in label (`area=<a>`, and `-l <a>`). */
export type Area = 'nodes' | 'network' | 'lifecycle' | 'scheduling' | 'objects';

type SpecSchema = z.ZodType<{ kind: string }>;

/**
 * The least a kind's run must be for its spec: the kind is the spec's, run and needs
 * take the spec. (The whole contract, CheckDefinition, is in types.ts above this layer.)
 */
export interface RunFor<S extends { kind: string }> {
  kind: S['kind'];
  needs(spec: S): unknown;
  run(spec: S, ctx: never): Promise<unknown>;
}

/** One check kind: its spec schema (<kind>/spec.ts), its area and how to load its run (<kind>/check.ts). */
export interface KindEntry<S extends SpecSchema = SpecSchema, R = unknown> {
  spec: S;
  area: Area;
  run: () => Promise<R>;
}

export type KindList = Record<string, KindEntry>;

/** One entry, checked: a spec, an area and a run, and the run is the run of that spec (its kind, needs/run taking it). */
export function kind<S extends SpecSchema, R extends RunFor<z.infer<S>>>(spec: S, area: Area, run: () => Promise<R>): KindEntry<S, R> {
  return { spec, area, run };
}

/** The list, checked: each key is its spec's kind. */
export function defineKinds<const T extends KindList>(list: T & { [K in keyof T]: { spec: z.ZodType<{ kind: K }> } }): T {
  return list;
}

/** The spec of each kind of a list, by kind. */
export type SpecOf<T extends KindList, K extends keyof T> = z.infer<T[K]['spec']>;
/** The union of every spec of a list. */
export type SpecUnion<T extends KindList> = { [K in keyof T]: z.infer<T[K]['spec']> }[keyof T];
type SpecInputUnion<T extends KindList> = { [K in keyof T]: z.input<T[K]['spec']> }[keyof T];

/** The kind names, in the list's order. */
export function kindNames<T extends KindList>(list: T): (keyof T & string)[] {
  return Object.keys(list);
}

/** The suite's schema of one check: a union discriminated by `kind`, in the list's order. */
export function specUnion<T extends KindList>(list: T): z.ZodType<SpecUnion<T>, SpecInputUnion<T>> {
  const names = kindNames(list);
  const specs = Object.values(list).map((e) => e.spec) as unknown as [z.ZodObject, ...z.ZodObject[]];
  return z.discriminatedUnion('kind', specs, {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected kind to be one of: ${names.join(', ')}`
        : issue.code === 'invalid_type'
          ? 'expected a check: a map with a kind and its settings'
          : undefined,
  }) as unknown as z.ZodType<SpecUnion<T>, SpecInputUnion<T>>;
}
