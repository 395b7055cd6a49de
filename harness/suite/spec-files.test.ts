// A networkPolicy case may name its policies as files: found next to the suite or in
// fixtures/ (confined like fixtures), every document checked with file:line:col, and
// the loaded suite carries the policies in place of the references.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSuiteFile, SuiteError } from './load.ts';
import { MAX_SPEC_FILES } from './spec-files.ts';
import { casesOf, modelOf } from '../checks/networkPolicy/plan.ts';
import { mandatedTable } from '../checks/networkPolicy/semantics.ts';
import type { NetworkPolicyCheckSpec } from '../checks/networkPolicy/spec.ts';
import { compareTables, describeMismatch, podIds } from '../checks/networkPolicy/spec/model.ts';
import { expectedTable, parseRules } from '../checks/networkPolicy/spec/notation.ts';

let dir: string;
let fixtures: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-spec-files-'));
  fixtures = path.join(dir, 'fixtures');
  await mkdir(path.join(dir, 'suites', 'policies'), { recursive: true });
  await mkdir(path.join(fixtures, 'shared'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A suite whose one case names `files` (inline policies may sit between them). */
function suite(policies: string[], expect = ['"* -> x/a deny"']): string {
  return [
    'name: np',
    'checks:',
    '  - kind: networkPolicy',
    '    builtIn: false',
    '    cases:',
    '      - name: from-files',
    '        policies:',
    ...policies.map((p) => `          - ${p}`),
    '        expect:',
    ...expect.map((e) => `          - ${e}`),
    '',
  ].join('\n');
}

const denyX = (name: string, ns = 'x') => ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', `  name: ${name}`, `  namespace: ${ns}`, 'spec:', '  podSelector: { matchLabels: { pod: a } }', '  policyTypes: [Ingress]', ''].join('\n');

async function write(rel: string, text: string): Promise<string> {
  const file = path.join(dir, rel);
  await writeFile(file, text);
  return file;
}

async function problems(suiteText: string): Promise<string[]> {
  const file = await write('suites/np.yaml', suiteText);
  try {
    await loadSuiteFile(file, { fixturesDir: fixtures });
  } catch (e) {
    if (!(e instanceof SuiteError)) throw e;
    return e.problems.map((p) => `${path.relative(dir, p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`);
  }
  return [];
}

describe('networkPolicy policies as files', () => {
  it('a valid case: files next to the suite and in fixtures/, inline ones between them, in order; the stated table is the one the API mandates', async () => {
    await write('suites/policies/from-y.yaml', ['# x/a from namespace y', denyX('a-from-y').replace('  policyTypes: [Ingress]\n', '  policyTypes: [Ingress]\n  ingress:\n    - from: [{ namespaceSelector: { matchLabels: { ns: y } } }]\n')].join('\n'));
    // Two documents in one file, in fixtures/.
    await write(
      'fixtures/shared/z-81.yaml',
      `${denyX('a-from-z-81').replace('  policyTypes: [Ingress]\n', '  policyTypes: [Ingress]\n  ingress:\n    - from: [{ namespaceSelector: { matchLabels: { ns: z } } }]\n      ports: [{ protocol: TCP, port: 81 }]\n')}---\n${denyX('b-deny', 'y').replace('pod: a', 'pod: b')}`,
    );
    const text = suite(
      ['file: policies/from-y.yaml', '{ apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: inline-one, namespace: z }, spec: { podSelector: {}, policyTypes: [Egress] } }', 'file: shared/z-81.yaml'],
      ['"* -> x/a deny"', '"y/* -> x/a allow"', '"z/* -> x/a:81 allow"', '"* -> y/b deny"', '"z/* -> * deny"'],
    );
    expect(await problems(text)).toEqual([]);
    const loaded = await loadSuiteFile(path.join(dir, 'suites/np.yaml'), { fixturesDir: fixtures });
    const spec = loaded.suite.checks[0] as NetworkPolicyCheckSpec;
    const policies = spec.cases?.[0]?.policies ?? [];
    expect(policies.map((p) => ('metadata' in p ? `${p.metadata.namespace}/${p.metadata.name}` : p.file))).toEqual(['x/a-from-y', 'z/inline-one', 'x/a-from-z-81', 'y/b-deny']);

    const model = modelOf(spec);
    const [own] = casesOf(spec, model).cases;
    const step = own!.steps[0]!;
    const ips = new Map(podIds(model).map((id, i) => [id, `10.244.${i % 3}.${10 + i}`]));
    const stated = expectedTable(model, parseRules(step.expect, model));
    expect(compareTables(model, mandatedTable(model, step.apply, { ips }), stated).map(describeMismatch)).toEqual([]);
    // A stated table that is wrong is told apart: it lets z reach x/a on 80 too, the API denies it.
    const wrong = expectedTable(model, parseRules([...step.expect, 'z/* -> x/a:80 allow'], model));
    expect(compareTables(model, mandatedTable(model, step.apply, { ips }), wrong).map(describeMismatch)).toEqual(['z/a -> x/a:80/TCP expected deny, got allow', 'z/b -> x/a:80/TCP expected deny, got allow']);
  });

  it('a missing file: at the reference in the suite', async () => {
    expect(await problems(suite(['file: policies/nowhere.yaml']))).toEqual([
      expect.stringMatching(/^suites\/np\.yaml:8:19 checks\[0\]\.cases\[0\]\.policies\[0\]\.file: expected a manifest file next to the suite or in .*fixtures\/, got 'policies\/nowhere\.yaml' \(not found in .*suites nor .*fixtures\)$/),
    ]);
  });

  it('a file outside the suite folder and fixtures/: refused like a fixture', async () => {
    await write('outside.yaml', denyX('outside'));
    expect(await problems(suite(['file: ../outside.yaml']))).toEqual([expect.stringMatching(/^suites\/np\.yaml:8:19 checks\[0\]\.cases\[0\]\.policies\[0\]\.file: fixture '\.\.\/outside\.yaml' resolves to .*outside\.yaml, outside the suite's folder/)]);
  });

  it('a file that is not a NetworkPolicy: at the document in that file, its text not quoted', async () => {
    await write('suites/policies/secret.yaml', '# a stray file\napiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { password: hunter2 }\n');
    const found = await problems(suite(['file: policies/secret.yaml']));
    expect(found).toEqual([
      'suites/policies/secret.yaml:2:1 : expected a NetworkPolicy (apiVersion networking.k8s.io/v1, kind NetworkPolicy), got another kind of document (named by checks[0].cases[0].policies[0].file)',
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('a policy whose namespace is not one of the model: at its namespace in that file', async () => {
    await write('suites/policies/in-w.yaml', denyX('in-w', 'w'));
    expect(await problems(suite(['file: policies/in-w.yaml']))).toEqual([
      "suites/policies/in-w.yaml:5:14 metadata.namespace: expected a model namespace (x, y, z), got 'w' (named by checks[0].cases[0].policies[0].file)",
    ]);
    // The model is the check's: with namespaces [v, w] the same file is valid.
    const text = suite(['file: policies/in-w.yaml'], ['"* -> w/a deny"']).replace('    builtIn: false', '    builtIn: false\n    namespaces: [v, w]');
    expect(await problems(text)).toEqual([]);
  });

  it("a NetworkPolicy's own mistakes, and a second document's: at their lines in that file", async () => {
    await write('suites/policies/typo.yaml', `${denyX('ok')}---\n${denyX('typo').replace('[Ingress]', '[Ingres]')}`);
    expect(await problems(suite(['file: policies/typo.yaml']))).toEqual([
      "suites/policies/typo.yaml:17:17 spec.policyTypes[0]: expected Ingress or Egress, got 'Ingres'; did you mean 'Ingress'? (named by checks[0].cases[0].policies[0].file)",
    ]);
  });

  it('a file that is not YAML, and one that is empty', async () => {
    await write('suites/policies/broken.yaml', 'kind: [NetworkPolicy\n');
    await write('suites/policies/empty.yaml', '# nothing\n');
    const found = await problems(suite(['file: policies/broken.yaml', 'file: policies/empty.yaml']));
    expect(found).toHaveLength(2);
    expect(found[1]).toMatch(/^suites\/policies\/broken\.yaml:\d+:\d+ : .* \(named by checks\[0\]\.cases\[0\]\.policies\[0\]\.file\)$/);
    expect(found[0]).toBe("suites/np.yaml:9:19 checks[0].cases[0].policies[1].file: 'policies/empty.yaml' holds no YAML document; expected a NetworkPolicy");
  });

  it('a step names files too; a mistyped key says what it takes', async () => {
    await write('suites/policies/from-y.yaml', denyX('a-from-y'));
    const text = [
      'name: np',
      'checks:',
      '  - kind: networkPolicy',
      '    cases:',
      '      - name: steps',
      '        steps:',
      '          - policies: [{ file: policies/from-y.yaml }]',
      '            expect: ["* -> x/a deny"]',
      '          - policies: [{ fil: policies/from-y.yaml }]',
      '            expect: ["* -> x/a deny"]',
      '',
    ].join('\n');
    expect(await problems(text)).toEqual([
      'suites/np.yaml:9:24 checks[0].cases[0].steps[1].policies[0].file: expected a string, got nothing',
      "suites/np.yaml:9:26 checks[0].cases[0].steps[1].policies[0].fil: unknown key 'fil'; did you mean 'file'?",
    ]);
  });

  it('one file named by two checks is read once and checked against each model', async () => {
    await write('suites/policies/in-w2.yaml', denyX('in-w', 'w'));
    const check = (name: string, namespaces: string) =>
      [`  - kind: networkPolicy`, `    name: ${name}`, `    namespaces: ${namespaces}`, '    cases:', '      - name: c', '        policies: [{ file: policies/in-w2.yaml }]', '        expect: ["* -> * allow"]'].join('\n');
    const text = ['name: np', 'checks:', check('in-vw', '[v, w]'), check('in-xy', '[x, y]'), ''].join('\n');
    expect(await problems(text)).toEqual(["suites/policies/in-w2.yaml:5:14 metadata.namespace: expected a model namespace (x, y), got 'w' (named by checks[1].cases[0].policies[0].file)"]);
  });

  it(`at most ${MAX_SPEC_FILES} distinct files in one suite; naming one file again costs nothing`, async () => {
    await mkdir(path.join(dir, 'suites', 'many'), { recursive: true });
    for (let i = 0; i <= MAX_SPEC_FILES; i++) await write(`suites/many/p${i}.yaml`, denyX(`p${i}`));
    const refs = Array.from({ length: MAX_SPEC_FILES + 1 }, (_, i) => `file: many/p${i}.yaml`);
    expect(await problems(suite([...refs.slice(0, MAX_SPEC_FILES), ...refs.slice(0, MAX_SPEC_FILES)]))).toEqual([]);
    expect(await problems(suite(refs))).toEqual([
      `suites/np.yaml:${8 + MAX_SPEC_FILES}:19 checks[0].cases[0].policies[${MAX_SPEC_FILES}].file: expected at most ${MAX_SPEC_FILES} distinct files named in place of values in one suite, got more; put several documents in one file (---)`,
    ]);
  });

  it('a check given a spec whose files were never read says so, rather than apply nothing', () => {
    const spec = { kind: 'networkPolicy', cases: [{ name: 'c', policies: [{ file: 'p.yaml' }], expect: ['* -> x/a deny'] }] } as NetworkPolicyCheckSpec;
    expect(() => casesOf(spec, modelOf(spec))).toThrow("policy file 'p.yaml' was not read");
  });
});
