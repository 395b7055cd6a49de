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

/** Where a spec names a file, and the path written there (relative to the suite, else to fixtures/). */
export interface FileRef {
  /** Path of the reference inside the check's spec, e.g. ['cases', 0, 'policies', 1]; the path is at [...at, 'file']. */
  at: (string | number)[];
  file: string;
}

/**
 * Files a spec may name in place of values written inline (networkPolicy's policies). The
 * suite loader (harness/suite/spec-files.ts) finds each file next to the suite or in
 * fixtures/, confined there like a fixture, checks every YAML document in it with
 * `document` and `check` (problems at that file's line and column), and hands the check
 * a spec with the documents in place (`inline`), so the run never reads a file.
 */
export interface SpecFiles<S> {
  /** What a file holds, in words: "a NetworkPolicy". */
  holds: string;
  /** Every file the spec names. */
  refs(spec: S): FileRef[];
  /**
   * A document's kind of object, checked before its fields and without quoting them (the
   * file may be any file in the suite's folder): a problem sentence, or undefined when it is one.
   */
  gate(doc: unknown): string | undefined;
  /** The schema of one document that passed the gate. */
  document: z.ZodType;
  /** Further problems of a valid document that only the spec can tell (e.g. a namespace outside its model). */
  check?(doc: unknown, spec: S): { path: (string | number)[]; message: string }[];
  /** The spec with each reference replaced by its file's documents (docs[i] are those of refs(spec)[i]). */
  inline(spec: S, docs: unknown[][]): S;
}

/** One check kind: its spec schema (<kind>/spec.ts), its area and how to load its run (<kind>/check.ts). */
export interface KindEntry<S extends SpecSchema = SpecSchema, R = unknown> {
  spec: S;
  area: Area;
  run: () => Promise<R>;
  /** Files its spec may name (optional). */
  files?: SpecFiles<z.infer<S>>;
}

export type KindList = Record<string, KindEntry>;

/** One entry, checked: a spec, an area and a run, and the run is the run of that spec (its kind, needs/run taking it). */
export function kind<S extends SpecSchema, R extends RunFor<z.infer<S>>>(spec: S, area: Area, run: () => Promise<R>, more: { files?: SpecFiles<z.infer<S>> } = {}): KindEntry<S, R> {
  return { spec, area, run, ...more };
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
