// A suite's own NetworkPolicy cases validate like every suite: file:line:col,
// the path, what was expected; the rules of an expected table say the column
// inside the rule.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiteError, loadSuiteFile } from '../load.ts';
import { displayPath } from '../problems.ts';
import { repoPath } from '../../paths.ts';
import type { NetworkPolicyCheckSpec } from './networkPolicy.ts';
import { casesOf, modelOf } from '../../checks/networkPolicy/plan.ts';
import { compareTables, describeMismatch, podIds } from '../../checks/networkPolicy/model.ts';
import { expectedTable, parseRules } from '../../checks/networkPolicy/notation.ts';
import { mandatedTable } from '../../checks/networkPolicy/semantics.ts';

const suite = (policyNs: string, policyTypes: string, rules: string[]) =>
  [
    'name: np',
    'checks:',
    '  - kind: networkPolicy',
    '    cases:',
    '      - name: c1',
    '        policies:',
    '          - apiVersion: networking.k8s.io/v1',
    '            kind: NetworkPolicy',
    `            metadata: { name: p, namespace: ${policyNs} }`,
    '            spec:',
    '              podSelector: {}',
    `              policyTypes: [${policyTypes}]`,
    '        expect:',
    ...rules.map((r) => `          - "${r}"`),
    '',
  ].join('\n');

const cases: [string, string, string[]][] = [
  ['a typo in policyTypes', suite('x', 'Ingres', ['* -> x/* deny']), ["12:29 checks[0].cases[0].policies[0].spec.policyTypes[0]: expected Ingress or Egress, got 'Ingres'; did you mean 'Ingress'?"]],
  [
    'a namespace and rules outside the model',
    suite('q', 'Ingress', ['* -> x/c deny', 'x/a -> y/b permit', 'x/a -> y/b:8080 deny']),
    [
      "9:45 checks[0].cases[0].policies[0].metadata.namespace: expected a model namespace (x, y, z), got 'q'",
      "14:13 checks[0].cases[0].expect[0]: column 8 of the rule: pod 'c' is not in the model (a, b)",
      "15:13 checks[0].cases[0].expect[1]: column 12 of the rule: expected allow or deny, got 'permit'",
      '16:13 checks[0].cases[0].expect[2]: column 12 of the rule: port 8080/TCP is not served by the model pods (80/TCP, 81/TCP, 80/UDP)',
    ],
  ],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-np-suites-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('networkPolicy suites', () => {
  it.each(cases)('%s', async (title, text, expected) => {
    const file = path.join(dir, `${title.replace(/\W+/g, '-')}.yaml`);
    await writeFile(file, text);
    const error = await loadSuiteFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SuiteError);
    expect((error as SuiteError).format()).toBe(expected.map((line) => `${displayPath(file)}:${line}`).join('\n'));
  });

  it('the built-in suite is valid and its own tables are what the API mandates', async () => {
    const s = await loadSuiteFile(repoPath('suites', 'network-policy.yaml'));
    expect(s.suite.checks.map((c) => c.kind)).toEqual(['networkPolicy']);
    const spec = s.suite.checks[0] as NetworkPolicyCheckSpec;
    const model = modelOf(spec);
    const ips = new Map(podIds(model).map((id, i) => [id, `10.244.${i % 3}.${10 + i}`]));
    const own = casesOf(spec, model).cases.filter((c) => spec.cases?.some((x) => x.name === c.name));
    expect(own.length).toBe(2);
    for (const c of own) {
      const step = c.steps[0]!;
      const mandated = mandatedTable(model, step.apply, { ips });
      expect(compareTables(model, mandated, expectedTable(model, parseRules(step.expect, model))).map(describeMismatch)).toEqual([]);
    }
  });
});
