import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES_DIR, loadFixture, parseManifests, resolveFixtureFile } from './fixtures.ts';
import { SuiteError, displayPath } from './problems.ts';
import { templateVars } from './template.ts';

const vars = templateVars({ namespace: 'kconform-net-1', runId: '1', nonce: 'abc', suite: 'net', agnhostImage: 'agnhost:t' }, { replicas: 2 });

let dir: string;
let suiteDir: string;
let fixturesDir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-fixtures-'));
  suiteDir = path.join(dir, 'suites');
  fixturesDir = path.join(dir, 'fixtures');
  await mkdir(suiteDir);
  await mkdir(fixturesDir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<SuiteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SuiteError);
  return e as SuiteError;
}

const MULTI = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{{ nonce }}
spec:
  replicas: {{ vars.replicas }}
---
# only a comment: not an object
---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    kconform/suite: "{{ suite }}"
---
`;

describe('loadFixture', () => {
  it('renders a multi-document file and skips empty documents', async () => {
    await writeFile(path.join(fixturesDir, 'web.yaml'), MULTI);
    const objects = await loadFixture({ file: 'web.yaml' }, { suiteDir, fixturesDir, vars });
    expect(objects).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web-abc' }, spec: { replicas: 2 } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations: { 'kconform/suite': 'net' } } },
    ]);
  });

  it('prefers a file next to the suite over one in the fixtures folder', async () => {
    await writeFile(path.join(fixturesDir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n');
    await writeFile(path.join(suiteDir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n');
    const [cm] = await loadFixture({ file: 'cm.yaml' }, { suiteDir, fixturesDir, vars });
    expect(cm?.metadata.name).toBe('local');
    expect(await resolveFixtureFile('cm.yaml', path.join(dir, 'elsewhere'), fixturesDir)).toBe(path.join(fixturesDir, 'cm.yaml'));
  });

  it('defaults the fixtures folder to <repo>/fixtures', () => {
    expect(path.basename(DEFAULT_FIXTURES_DIR)).toBe('fixtures');
    expect(path.resolve(DEFAULT_FIXTURES_DIR, '..', 'harness', 'suite')).toBe(import.meta.dirname);
  });

  it('loads an inline fixture', async () => {
    const objects = await loadFixture({ inline: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "{{ namespace }}"\n' }, { suiteDir, vars });
    expect(objects).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kconform-net-1' } }]);
  });

  it('reports a document without metadata.name at that document', async () => {
    const file = path.join(fixturesDir, 'web.yaml');
    await writeFile(file, MULTI.replace('  name: web\n', '  labels: {}\n'));
    const e = await rejection(loadFixture({ file: 'web.yaml' }, { suiteDir, fixturesDir, vars }));
    expect(e.format()).toBe(`${displayPath(file)}:14:3 metadata.name: expected the object name, got nothing`);
  });

  it('reports missing apiVersion and kind, and a document that is not a map', () => {
    const e = (() => {
      try {
        parseManifests('metadata:\n  name: x\n---\n- a list\n', { file: '/m.yaml' });
      } catch (err) {
        return err as SuiteError;
      }
      throw new Error('expected a SuiteError');
    })();
    expect(e.format()).toBe(
      [
        '/m.yaml:1:1 apiVersion: expected an apiVersion like v1 or apps/v1, got nothing',
        '/m.yaml:1:1 kind: expected a kind like Pod or Service, got nothing',
        '/m.yaml:4:1 expected a Kubernetes object (a map with apiVersion, kind and metadata.name), got a list',
      ].join('\n'),
    );
  });

  it('reports YAML syntax errors in the fixture file', async () => {
    const file = path.join(suiteDir, 'bad.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n');
    const e = await rejection(loadFixture({ file: 'bad.yaml' }, { suiteDir, fixturesDir, vars }));
    expect(e.format()).toBe(`${displayPath(file)}:4:1 tab used for indentation; YAML indents with spaces only`);
  });

  it('points problems of an inline fixture into the suite file', async () => {
    const origin = { file: '/suites/net.yaml', line: 8, column: 7, indent: 6, path: 'fixtures[0].inline' };
    const e = await rejection(loadFixture({ inline: 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {}\n' }, { suiteDir, vars, origin }));
    expect(e.format()).toBe('/suites/net.yaml:11:9 fixtures[0].inline metadata.name: expected the object name, got nothing');
  });

  it('reports a missing file where the suite names it', async () => {
    const origin = { file: '/suites/net.yaml', line: 4, column: 11, path: 'fixtures[0].file' };
    const e = await rejection(loadFixture({ file: 'nope.yaml' }, { suiteDir, fixturesDir, vars, origin }));
    expect(e.problems).toEqual([
      {
        file: '/suites/net.yaml',
        line: 4,
        column: 11,
        path: 'fixtures[0].file',
        message: `expected a manifest file next to the suite or in ${displayPath(fixturesDir)}/, got 'nope.yaml' (not found in ${displayPath(suiteDir)} nor ${displayPath(fixturesDir)})`,
      },
    ]);
  });
});
