import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuiteError, loadSuiteFile, loadSuites } from './load.ts';
import { displayPath, formatPath } from './problems.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-suites-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, text: string): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function failure(p: Promise<unknown>): Promise<SuiteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SuiteError);
  return e as SuiteError;
}

const MINIMAL = (name: string): string => `name: ${name}\nchecks:\n  - kind: nodes\n`;

const FULL = `# yaml-language-server: $schema=../suites/kconform-suite.schema.json
apiVersion: kconform.io/v1alpha1
name: net
description: Pod network checks
timeout: 1m30s
retries: 1
labels:
  team: infra
vars:
  port: 8080
  greeting: hello
cluster:
  provider: kind
  nodes: 3
  cni: flannel:host-gw
  cri: docker
  kubernetesVersion: v1.37.2
fixtures:
  - file: web.yaml
    wait: false
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: greeting
      data:
        text: "{{ vars.greeting }} from {{ namespace }}"
checks:
  - kind: nodes
    name: three-nodes
    count: 3
    runtime: docker
    points: 2.5
    skip: not yet
  - kind: nodes
    timeout: 10s
`;

const WEB = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: {{ port }}\n';

describe('loadSuiteFile', () => {
  it('loads a suite as written, without filling defaults', async () => {
    await put('web.yaml', WEB);
    const file = await put('net.yaml', FULL);
    const loaded = await loadSuiteFile(file);
    expect(loaded.file).toBe(file);
    expect(loaded.dir).toBe(dir);
    expect(loaded.source).toBe(FULL);
    expect(loaded.suite).toEqual({
      apiVersion: 'kconform.io/v1alpha1',
      name: 'net',
      description: 'Pod network checks',
      timeout: '1m30s',
      retries: 1,
      labels: { team: 'infra' },
      vars: { port: 8080, greeting: 'hello' },
      cluster: { provider: 'kind', nodes: 3, cni: 'flannel:host-gw', cri: 'docker', kubernetesVersion: 'v1.37.2' },
      fixtures: [
        { file: 'web.yaml', wait: false },
        { inline: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  text: "{{ vars.greeting }} from {{ namespace }}"\n' },
      ],
      checks: [
        { kind: 'nodes', name: 'three-nodes', count: 3, runtime: 'docker', points: 2.5, skip: 'not yet' },
        { kind: 'nodes', timeout: '10s' },
      ],
    });
  });

  it('records where each fixture sits in the suite file', async () => {
    await put('web.yaml', WEB);
    const file = await put('net.yaml', FULL);
    const { fixtureOrigins } = await loadSuiteFile(file);
    expect(fixtureOrigins).toEqual([
      { file, line: 19, column: 11, path: 'fixtures[0].file' },
      // The block scalar's text starts on the line after `inline: |`, indented 6.
      { file, line: 22, column: 7, indent: 6, path: 'fixtures[1].inline' },
    ]);
  });

  it('finds file fixtures in the fixtures folder when the suite folder lacks them', async () => {
    const fixturesDir = path.join(dir, 'shared');
    await put('shared/web.yaml', WEB);
    const file = await put('suites/net.yaml', FULL);
    await expect(loadSuiteFile(file, { fixturesDir })).resolves.toMatchObject({ suite: { name: 'net' } });
  });

  it('reports a missing fixture file at its file: value', async () => {
    const fixturesDir = path.join(dir, 'shared');
    const file = await put('net.yaml', FULL);
    const e = await failure(loadSuiteFile(file, { fixturesDir }));
    expect(e.format()).toBe(
      `${displayPath(file)}:19:11 fixtures[0].file: expected a manifest file next to the suite or in ${displayPath(fixturesDir)}/, got 'web.yaml' (not found in ${displayPath(dir)} nor ${displayPath(fixturesDir)})`,
    );
  });

  it('reports an unknown template variable of an inline fixture at its place in the suite', async () => {
    await put('web.yaml', WEB);
    const file = await put('net.yaml', FULL.replace('{{ namespace }}', '{{ namspace }}'));
    const e = await failure(loadSuiteFile(file));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ line: 27, column: 41, path: 'fixtures[1].inline' });
    expect(e.problems[0]?.message).toBe(
      "unknown template variable 'namspace'; did you mean 'namespace'? known: namespace, runId, nonce, suite, agnhostImage, port, greeting, vars.port, vars.greeting",
    );
  });

  it('reports an unknown template variable in a fixture file at its place in that file', async () => {
    const web = await put('web.yaml', WEB.replace('{{ port }}', '{{ vars.prot }}'));
    const file = await put('net.yaml', FULL);
    const e = await failure(loadSuiteFile(file));
    expect(e.problems.map((p) => [p.file, p.line, p.column])).toEqual([[web, 7, 13]]);
    expect(e.problems[0]?.message).toMatch(/^unknown template variable 'vars.prot'; did you mean 'vars.port'\?/);
  });

  it('reports an inline fixture object without a name in the suite', async () => {
    await put('web.yaml', WEB);
    const file = await put('net.yaml', FULL.replace('      metadata:\n        name: greeting\n', '      metadata: {}\n'));
    const e = await failure(loadSuiteFile(file));
    expect(e.format()).toBe(`${displayPath(file)}:24:17 fixtures[1].inline metadata.name: expected the object name, got nothing`);
  });

  it('lets checks share settings through anchors and merge keys', async () => {
    const file = await put('m.yaml', 'name: m\nchecks:\n  - &base\n    kind: nodes\n    timeout: 10s\n    name: one\n  - <<: *base\n    name: two\n');
    const { suite } = await loadSuiteFile(file);
    expect(suite.checks).toEqual([
      { kind: 'nodes', timeout: '10s', name: 'one' },
      { kind: 'nodes', timeout: '10s', name: 'two' },
    ]);
  });

  it('refuses a document that expands aliases without bound', async () => {
    const row = (name: string, of: string): string => `${name}: &${name} [${Array(10).fill(of).join(', ')}]\n`;
    const file = await put('bomb.yaml', row('a', 'x') + row('b', '*a') + row('c', '*b') + row('d', '*c') + 'name: bomb\nchecks:\n  - kind: nodes\n');
    const e = await failure(loadSuiteFile(file));
    expect(e.problems).toHaveLength(1);
    expect(e.format()).toMatch(new RegExp(`^${displayPath(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1 invalid YAML: excessive alias count`));
  });

  it('reports an unreadable path without a position', async () => {
    const e = await failure(loadSuiteFile(path.join(dir, 'nope.yaml')));
    expect(e.problems).toEqual([{ file: path.join(dir, 'nope.yaml'), line: 0, column: 0, path: '', message: 'expected a suite file, got nothing at this path' }]);
    expect(e.format()).toBe(`${displayPath(path.join(dir, 'nope.yaml'))} expected a suite file, got nothing at this path`);
  });
});

describe('loadSuites', () => {
  it('searches folders recursively in a stable order, skipping fixtures, hidden folders and other files', async () => {
    await put('z.yaml', MINIMAL('z'));
    await put('a.yml', MINIMAL('a'));
    await put('b/c.yaml', MINIMAL('c'));
    await put('B/d.yaml', MINIMAL('d'));
    await put('fixtures/pod.yaml', 'apiVersion: v1\nkind: Pod\n');
    await put('b/fixtures/pod.yaml', 'apiVersion: v1\nkind: Pod\n');
    await put('.hidden/x.yaml', MINIMAL('x'));
    await put('kconform-suite.schema.json', '{}');
    await put('notes.md', '# notes');
    const loaded = await loadSuites([dir]);
    expect(loaded.map((l) => path.relative(dir, l.file))).toEqual(['B/d.yaml', 'a.yml', 'b/c.yaml', 'z.yaml']);
  });

  it('keeps the order of explicit paths and loads a file named twice once', async () => {
    const z = await put('z.yaml', MINIMAL('z'));
    await put('a.yaml', MINIMAL('a'));
    const loaded = await loadSuites([z, dir]);
    expect(loaded.map((l) => l.suite.name)).toEqual(['z', 'a']);
  });

  it('collects the problems of every file into one error', async () => {
    const a = await put('a.yaml', 'name: a\nchecks: []\n');
    const b = await put('b.yaml', 'name: b\ntimeout: x\nchecks:\n  - kind: nodes\n');
    await put('c.yaml', MINIMAL('c'));
    const e = await failure(loadSuites([dir]));
    expect(e.format()).toBe(
      [
        `${displayPath(a)}:2:9 checks: expected at least one check, got an empty list`,
        `${displayPath(b)}:2:10 timeout: expected a duration like 30s, got 'x'`,
      ].join('\n'),
    );
  });

  it('rejects two suites with the same name, pointing at the second', async () => {
    const first = await put('a.yaml', MINIMAL('net'));
    const second = await put('b.yaml', `description: again\n${MINIMAL('net')}`);
    const e = await failure(loadSuites([dir]));
    expect(e.format()).toBe(
      `${displayPath(second)}:2:7 name: duplicate suite name 'net', already used by ${displayPath(first)}; expected a unique name (it names the namespace)`,
    );
  });

  it('rejects a path that does not exist and a folder without suites', async () => {
    await mkdir(path.join(dir, 'empty'));
    const e = await failure(loadSuites([path.join(dir, 'missing'), path.join(dir, 'empty')]));
    expect(e.problems.map((p) => p.message)).toEqual([
      'expected suite files (*.yaml, *.yml) in this folder, got none',
      'expected a suite file or folder, got nothing at this path',
    ]);
  });
});

describe('problem formatting', () => {
  it('prints paths relative to the working directory only when inside it', () => {
    expect(displayPath('/work/x/suites/net.yaml', '/work/x')).toBe('suites/net.yaml');
    expect(displayPath('/elsewhere/net.yaml', '/work/x')).toBe('/elsewhere/net.yaml');
  });

  it('writes paths as in JavaScript', () => {
    expect(formatPath(['checks', 2, 'timeout'])).toBe('checks[2].timeout');
    expect(formatPath(['labels', 'app.kubernetes.io/name'])).toBe('labels["app.kubernetes.io/name"]');
    expect(formatPath([])).toBe('');
  });

  it('sorts problems by file, line and column', () => {
    const e = new SuiteError([
      { file: '/b.yaml', line: 1, column: 1, path: '', message: 'm3' },
      { file: '/a.yaml', line: 9, column: 1, path: 'x', message: 'm2' },
      { file: '/a.yaml', line: 2, column: 5, path: 'y', message: 'm1' },
    ]);
    expect(e.problems.map((p) => p.message)).toEqual(['m1', 'm2', 'm3']);
    expect(e.message).toBe(e.format());
  });
});
