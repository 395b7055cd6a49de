import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMITTED_SCHEMA_PATH, REGENERATE_COMMAND, SUITE_SCHEMA_ID, suiteSchemaDocument, suiteSchemaText } from './json-schema.ts';
import { validateSuiteData } from './validate.ts';

function compile(): ReturnType<Ajv2020['compile']> {
  // strict: unknown keywords or malformed schema parts are errors; `type: [a, b]` is standard JSON Schema.
  return new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(suiteSchemaDocument());
}

describe('suite JSON Schema', () => {
  it('matches the committed suites/kconform-suite.schema.json', async () => {
    const committed = await readFile(COMMITTED_SCHEMA_PATH, 'utf8').catch(() => '');
    const fresh = suiteSchemaText();
    if (committed !== fresh) {
      expect.fail(`suites/kconform-suite.schema.json is out of date with harness/suite/schema.ts; regenerate it with \`${REGENERATE_COMMAND}\` and commit it`);
    }
    expect(JSON.parse(committed)).toEqual(suiteSchemaDocument());
  });

  it('has an id and a title, and is a valid draft 2020-12 schema', () => {
    const doc = suiteSchemaDocument();
    expect(doc.$id).toBe(SUITE_SCHEMA_ID);
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.title).toMatch(/^kconform suite/);
    expect(() => compile()).not.toThrow();
  });

  it('agrees with the loader on good and bad suites', () => {
    const validate = compile();
    const samples = [
      'name: net\nchecks:\n  - kind: nodes\n    count: 3\n',
      'name: net\ncluster:\n  cni: calico\n  nodes: 3\nfixtures:\n  - file: web.yaml\n  - inline: "kind: Pod"\nchecks:\n  - kind: nodes\n    timeout: 1m30s\n',
      'name: net\ntimout: 3s\nchecks:\n  - kind: nodes\n',
      'name: Net\nchecks:\n  - kind: nodes\n',
      'name: net\nchecks: []\n',
      'name: net\nchecks:\n  - kind: teleport\n',
      'name: net\nfixtures:\n  - file: a\n    inline: b\nchecks:\n  - kind: nodes\n',
      'name: net\nchecks:\n  - kind: nodes\n    retries: -1\n',
      'name: net\ncluster:\n  kubernetesVersion: 1.30\nchecks:\n  - kind: nodes\n',
    ];
    const verdicts = samples.map((text) => {
      const data: unknown = parse(text);
      return [validate(data), validateSuiteData(data).ok];
    });
    expect(verdicts).toEqual([[true, true], [true, true], ...Array.from({ length: 7 }, () => [false, false])]);
  });
});
