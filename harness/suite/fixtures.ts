// Fixtures: find the manifest, render its template, parse it into objects.
// Labels and namespaces are the planner's job, not this module's.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../kube/types.ts';
import type { Fixture } from './schema.ts';
import { positionOf } from './positions.ts';
import { SuiteError, displayPath } from './problems.ts';
import type { SuiteProblem } from './problems.ts';
import { mapToOrigin, renderTemplate } from './template.ts';
import type { TemplateVars, TextOrigin } from './template.ts';
import { describeShape, describeType } from './describe.ts';
import { readTextFile, unreadable } from './read-text.ts';
import { parseYaml, toData } from './yaml-source.ts';

/** <repo>/fixtures, the shared manifests folder. */
export const DEFAULT_FIXTURES_DIR = path.resolve(import.meta.dirname, '../../fixtures');

export interface FixtureContext {
  /** Folder of the suite file; `file:` is looked up here first. */
  suiteDir: string;
  /** Looked up second; defaults to <repo>/fixtures. */
  fixturesDir?: string;
  vars: TemplateVars;
  /** Where the fixture sits in the suite (LoadedSuite.fixtureOrigins[i]), so problems point there. */
  origin?: TextOrigin;
}

/**
 * Where a `file:` fixture is: next to the suite, else in the fixtures folder. The
 * real path (symbolic links followed) must stay inside one of those two folders, so
 * a suite cannot make kconform read (and quote) /etc/passwd or a key file.
 */
export async function locateFixtureFile(file: string, suiteDir: string, fixturesDir = DEFAULT_FIXTURES_DIR): Promise<{ path: string } | { problem: string }> {
  const roots = (await Promise.all([suiteDir, fixturesDir].map((d) => realpath(d).catch(() => undefined)))).filter((d): d is string => d !== undefined);
  const outside: string[] = [];
  for (const candidate of [path.resolve(suiteDir, file), path.resolve(fixturesDir, file)]) {
    let real: string;
    try {
      real = await realpath(candidate);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { problem: `fixture '${file}' is a symbolic link loop (a link that points back at itself); expected a manifest file` };
      continue; // not in this folder; try the next
    }
    if (roots.some((root) => real === root || real.startsWith(root + path.sep))) return { path: real };
    outside.push(real);
  }
  if (outside.length > 0) {
    return {
      problem: `fixture '${file}' resolves to ${displayPath(outside[0]!)}, outside the suite's folder (${displayPath(suiteDir) || '.'}) and ${displayPath(fixturesDir)}/; expected a manifest inside one of them (symbolic links are followed)`,
    };
  }
  return { problem: fixtureNotFound(file, suiteDir, fixturesDir) };
}

/** The manifest a `file:` fixture names, or undefined when neither folder has it (or it is outside them). */
export async function resolveFixtureFile(file: string, suiteDir: string, fixturesDir = DEFAULT_FIXTURES_DIR): Promise<string | undefined> {
  const found = await locateFixtureFile(file, suiteDir, fixturesDir);
  return 'path' in found ? found.path : undefined;
}

export function fixtureNotFound(file: string, suiteDir: string, fixturesDir = DEFAULT_FIXTURES_DIR): string {
  return `expected a manifest file next to the suite or in ${displayPath(fixturesDir)}/, got '${file}' (not found in ${displayPath(suiteDir) || '.'} nor ${displayPath(fixturesDir)})`;
}

export async function loadFixture(fixture: Fixture, ctx: FixtureContext): Promise<KubeObject[]> {
  const fixturesDir = ctx.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  let text: string;
  let origin: TextOrigin;
  if ('file' in fixture) {
    const o = ctx.origin ?? { file: path.join(ctx.suiteDir, fixture.file) };
    const inSuite = (message: string): never => {
      throw new SuiteError([{ file: o.file, line: o.line ?? 0, column: o.column ?? 0, path: o.path ?? '', message }]);
    };
    const found = await locateFixtureFile(fixture.file, ctx.suiteDir, fixturesDir);
    if ('problem' in found) return inSuite(found.problem);
    const read = await readTextFile(found.path).catch((e: NodeJS.ErrnoException) => inSuite(`fixture '${fixture.file}': ${unreadable(e, 'a manifest file')}`));
    if ('problem' in read) {
      const p = read.problem;
      throw new SuiteError([{ file: found.path, line: p.line, column: p.column, path: '', message: p.message }]);
    }
    text = read.text;
    // A file fixture may be anything a suite names; its text is never quoted back.
    origin = { file: found.path, opaque: true };
  } else {
    text = fixture.inline;
    origin = ctx.origin ?? { file: ctx.suiteDir, path: 'inline fixture' };
  }
  return parseManifests(renderTemplate(text, ctx.vars, origin), origin);
}

/** Multi-document manifest text -> objects; empty documents are skipped. */
export function parseManifests(text: string, origin: TextOrigin): KubeObject[] {
  const { docs, lineCounter, problems } = parseYaml(text, { quote: !origin.opaque });
  const at = (line: number, column: number, where: string, message: string): SuiteProblem => {
    const pos = mapToOrigin(origin, line, column);
    return { file: origin.file, ...pos, path: [origin.path, where].filter(Boolean).join(' '), message };
  };
  if (problems.length > 0) throw new SuiteError(problems.map((p) => at(p.position.line, p.position.column, '', p.message)));
  const found: SuiteProblem[] = [];
  const objects: KubeObject[] = [];
  for (const doc of docs) {
    const converted = toData(doc);
    if ('error' in converted) {
      found.push(at(1, 1, '', converted.error));
      continue;
    }
    const data = converted.data;
    const missing = missingFields(data, origin.opaque ? describeShape : describeType);
    for (const m of missing) {
      const pos = positionOf(doc, lineCounter, m.path);
      found.push(at(pos.line, pos.column, m.path.join('.'), m.message));
    }
    if (missing.length === 0) objects.push(data as KubeObject);
  }
  if (found.length > 0) throw new SuiteError(found);
  return objects;
}

function missingFields(data: unknown, describeType: (v: unknown) => string): { path: string[]; message: string }[] {
  if (!isMap(data)) return [{ path: [], message: `expected a Kubernetes object (a map with apiVersion, kind and metadata.name), got ${describeType(data)}` }];
  const out: { path: string[]; message: string }[] = [];
  const need = (value: unknown, p: string[], what: string): void => {
    if (typeof value !== 'string' || value === '') out.push({ path: p, message: `expected ${what}, got ${describeType(value)}` });
  };
  need(data.apiVersion, ['apiVersion'], 'an apiVersion like v1 or apps/v1');
  need(data.kind, ['kind'], 'a kind like Pod or Service');
  if (data.metadata !== undefined && !isMap(data.metadata)) out.push({ path: ['metadata'], message: `expected a map, got ${describeType(data.metadata)}` });
  else need(isMap(data.metadata) ? data.metadata.name : undefined, ['metadata', 'name'], 'the object name');
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
