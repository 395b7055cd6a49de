// Fixtures: find the manifest, render its template, parse it into objects.
// Labels and namespaces are the planner's job, not this module's.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject } from '../kube/types.ts';
import type { Fixture } from './schema.ts';
import { positionOf } from './positions.ts';
import { SuiteError, displayPath } from './problems.ts';
import type { SuiteProblem } from './problems.ts';
import { mapToOrigin, renderTemplate } from './template.ts';
import type { TemplateVars, TextOrigin } from './template.ts';
import { describeType } from './describe.ts';
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

/** The manifest a `file:` fixture names, or undefined when neither folder has it. */
export async function resolveFixtureFile(file: string, suiteDir: string, fixturesDir = DEFAULT_FIXTURES_DIR): Promise<string | undefined> {
  for (const candidate of [path.resolve(suiteDir, file), path.resolve(fixturesDir, file)]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not in this folder; try the next
    }
  }
  return undefined;
}

export function fixtureNotFound(file: string, suiteDir: string, fixturesDir = DEFAULT_FIXTURES_DIR): string {
  return `expected a manifest file next to the suite or in ${displayPath(fixturesDir)}/, got '${file}' (not found in ${displayPath(suiteDir) || '.'} nor ${displayPath(fixturesDir)})`;
}

export async function loadFixture(fixture: Fixture, ctx: FixtureContext): Promise<KubeObject[]> {
  const fixturesDir = ctx.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  let text: string;
  let origin: TextOrigin;
  if ('file' in fixture) {
    const resolved = await resolveFixtureFile(fixture.file, ctx.suiteDir, fixturesDir);
    if (resolved === undefined) {
      const o = ctx.origin ?? { file: path.join(ctx.suiteDir, fixture.file) };
      throw new SuiteError([{ file: o.file, line: o.line ?? 0, column: o.column ?? 0, path: o.path ?? '', message: fixtureNotFound(fixture.file, ctx.suiteDir, fixturesDir) }]);
    }
    text = await readFile(resolved, 'utf8');
    origin = { file: resolved };
  } else {
    text = fixture.inline;
    origin = ctx.origin ?? { file: ctx.suiteDir, path: 'inline fixture' };
  }
  return parseManifests(renderTemplate(text, ctx.vars, origin), origin);
}

/** Multi-document manifest text -> objects; empty documents are skipped. */
export function parseManifests(text: string, origin: TextOrigin): KubeObject[] {
  const { docs, lineCounter, problems } = parseYaml(text);
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
    const missing = missingFields(data);
    for (const m of missing) {
      const pos = positionOf(doc, lineCounter, m.path);
      found.push(at(pos.line, pos.column, m.path.join('.'), m.message));
    }
    if (missing.length === 0) objects.push(data as KubeObject);
  }
  if (found.length > 0) throw new SuiteError(found);
  return objects;
}

function missingFields(data: unknown): { path: string[]; message: string }[] {
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
