// The kind list is the one place a check kind is added: a new kind (testing/echo, a
// folder with spec.ts and check.ts) plus one entry gives the suite's union, the kind
// names and the registry, and a missing or mismatched piece does not compile.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CHECK_KINDS, CheckSpec, KINDS } from './kinds.ts';
import { defineKinds, kind, kindNames, specUnion, type SpecUnion } from './kind-list.ts';
import { getCheck, loadRuns, type Registry } from './registry.ts';
import { EchoSpec } from './testing/echo/spec.ts';
import { echoCheck } from './testing/echo/check.ts';
import { nodesCheck } from './nodes/check.ts';
import type { CheckContext } from './types.ts';

// The recipe, followed: the folder testing/echo/ and this one entry.
const WITH_ECHO = defineKinds({ ...KINDS, echo: kind(EchoSpec, 'objects', async () => (await import('./testing/echo/check.ts')).echoCheck) });

describe('a check kind is one folder plus one entry', () => {
  it('the entry puts the kind into the union, the kind names and the registry', async () => {
    expect(kindNames(WITH_ECHO)).toEqual([...CHECK_KINDS, 'echo']);
    const union = specUnion(WITH_ECHO);
    const spec = union.parse({ kind: 'echo', text: 'hi', expect: 'hi' });
    expect(spec).toEqual({ kind: 'echo', text: 'hi', expect: 'hi' });
    expect(union.safeParse({ kind: 'ech' }).error?.issues[0]?.message).toBe(`expected kind to be one of: ${[...CHECK_KINDS, 'echo'].join(', ')}`);
    expect(union.safeParse({ kind: 'echo', text: 'hi' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['expect']);
    // Without the entry, the suite knows no such kind.
    expect(CheckSpec.safeParse({ kind: 'echo', text: 'hi', expect: 'hi' }).success).toBe(false);

    const runs: Registry<typeof WITH_ECHO> = await loadRuns(WITH_ECHO);
    expect(runs.echo).toBe(echoCheck);
    expect(runs.nodes).toBe(nodesCheck);
    const ctx = {} as CheckContext;
    await expect(runs.echo.run({ kind: 'echo', text: 'hi', expect: 'hi' }, ctx)).resolves.toMatchObject({ status: 'pass' });
    await expect(runs.echo.run({ kind: 'echo', text: 'ho', expect: 'hi' }, ctx)).resolves.toEqual({ status: 'fail', reason: "text is 'ho', expected 'hi'" });
    expectTypeOf<Extract<SpecUnion<typeof WITH_ECHO>, { kind: 'echo' }>>().toEqualTypeOf<EchoSpec>();
  });

  it('every kind folder is in the list with a spec and a run, and the registry has its run', async () => {
    const dir = import.meta.dirname;
    const folders: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const files = await readdir(path.join(dir, e.name));
      if (files.includes('check.ts') || files.includes('spec.ts')) folders.push(e.name);
    }
    // common/ holds shared helpers and testing/ the fixture kind: neither is a kind.
    expect(folders.sort(), 'each kind folder (spec.ts, check.ts) and its entry in harness/checks/kinds.ts').toEqual([...CHECK_KINDS].sort());
    for (const k of CHECK_KINDS) {
      const files = await readdir(path.join(dir, k));
      expect(files, k).toEqual(expect.arrayContaining(['spec.ts', 'check.ts']));
      expect(getCheck(k).kind).toBe(k);
    }
  });

  it('a missing or mismatched piece does not compile', () => {
    // Checked by the typecheck (`npx tsc --noEmit -p .`, a step of `npm test` and CI), not
    // run: each @ts-expect-error fails the typecheck when its line compiles.
    const neverCalled = async () => {
      // @ts-expect-error a kind in the list without a run
      kind(EchoSpec, 'objects');
      // @ts-expect-error a run without a spec
      kind('objects', async () => (await import('./testing/echo/check.ts')).echoCheck);
      // @ts-expect-error a run of another kind's spec
      kind(EchoSpec, 'objects', async () => (await import('./nodes/check.ts')).nodesCheck);
      // @ts-expect-error an entry under another kind's name
      defineKinds({ nodes: kind(EchoSpec, 'objects', async () => (await import('./testing/echo/check.ts')).echoCheck) });
      // @ts-expect-error an area that is not one
      kind(EchoSpec, 'elsewhere', async () => (await import('./testing/echo/check.ts')).echoCheck);
      // @ts-expect-error a registry without the new kind's run
      const partial: Registry<typeof WITH_ECHO> = await loadRuns(KINDS);
      return partial;
    };
    expectTypeOf(neverCalled).toBeFunction();
    expectTypeOf<Registry<typeof KINDS>['networkPolicy']['kind']>().toEqualTypeOf<'networkPolicy'>();
  });
});
