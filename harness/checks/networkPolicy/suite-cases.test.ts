// The built-in NetworkPolicy suite loads, and the tables it writes for its own
// cases are what the API mandates. (Bad networkPolicy suites: load.bad.test.ts.)
import { describe, expect, it } from 'vitest';
import { loadSuiteFile } from '../../suite/load.ts';
import { repoPath } from '../../paths.ts';
import type { NetworkPolicyCheckSpec } from './spec.ts';
import { casesOf, modelOf } from './plan.ts';
import { compareTables, describeMismatch, podIds } from './spec/model.ts';
import { expectedTable, parseRules } from './spec/notation.ts';
import { mandatedTable } from './semantics.ts';

describe('networkPolicy suites', () => {
  it('the built-in suite is valid and its own tables are what the API mandates', async () => {
    const s = await loadSuiteFile(repoPath('suites', 'network-policy.yaml'));
    expect(s.suite.checks.map((c) => c.kind)).toEqual(['networkPolicy']);
    const spec = s.suite.checks[0] as NetworkPolicyCheckSpec;
    const model = modelOf(spec);
    const ips = new Map(podIds(model).map((id, i) => [id, `10.244.${i % 3}.${10 + i}`]));
    const own = casesOf(spec, model).cases.filter((c) => spec.cases?.some((x) => x.name === c.name));
    expect(own.length).toBe(3);
    for (const c of own) {
      const step = c.steps[0]!;
      const mandated = mandatedTable(model, step.apply, { ips });
      expect(compareTables(model, mandated, expectedTable(model, parseRules(step.expect, model))).map(describeMismatch)).toEqual([]);
    }
  });
});
