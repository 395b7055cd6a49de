// Every built-in case's expected tables, written by hand in the rule notation,
// agree with what the NetworkPolicy API mandates for its policies (semantics.ts):
// two independent statements of the same expectation.
import { describe, expect, it } from 'vitest';
import { BUILTIN_CASES, resolvePodIps, type PolicyObject } from './cases.ts';
import { MODEL_PORTS, compareTables, describeMismatch, podIds, type Model } from './model.ts';
import { expectedTable, parseRules } from './notation.ts';
import { inCidr, mandatedTable, selects } from '../semantics.ts';

const model: Model = { namespaces: ['x', 'y', 'z'], pods: ['a', 'b'], ports: MODEL_PORTS, dns: true };
const ips = new Map(podIds(model).map((id, i) => [id, `10.244.${i % 3}.${10 + i}`]));

describe('built-in cases', () => {
  for (const c of BUILTIN_CASES) {
    it(`${c.name}: the written tables are what the API mandates`, () => {
      const live = new Map<string, PolicyObject>();
      for (const step of c.steps) {
        for (const p of step.apply) live.set(`${p.metadata.namespace}/${p.metadata.name}`, resolvePodIps(p, ips));
        for (const r of step.remove ?? []) live.delete(r);
        const written = expectedTable(model, parseRules(step.expect, model));
        const mandated = mandatedTable(model, [...live.values()], { ips, dns: { ip: '10.244.0.2' } });
        expect(compareTables(model, mandated, written).map(describeMismatch)).toEqual([]);
      }
    });
  }

  it('every case denies something (or, for a removal, restores everything)', () => {
    for (const c of BUILTIN_CASES) {
      const first = c.steps[0]!;
      expect([...expectedTable(model, parseRules(first.expect, model)).values()]).toContain('deny');
    }
  });

  it('replaces ${podIP:ns/pod} and names a pod without an IP', () => {
    const p = resolvePodIps({ except: ['${podIP:y/b}/32'] }, ips);
    expect(p.except[0]).toBe(`${ips.get('y/b')}/32`);
    expect(() => resolvePodIps({ cidr: '${podIP:q/a}/32' }, ips)).toThrow('${podIP:q/a}: no model pod q/a with an IP');
  });
});

describe('API semantics', () => {
  it('label selectors: matchLabels and every operator', () => {
    expect(selects({}, { a: '1' })).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['2'] }] }, { a: '2' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {})).toBe(true);
  });

  it('CIDR membership', () => {
    expect(inCidr('10.244.1.5', '10.244.0.0/16')).toBe(true);
    expect(inCidr('10.245.1.5', '10.244.0.0/16')).toBe(false);
    expect(inCidr('10.244.1.5', '10.244.1.5/32')).toBe(true);
    expect(inCidr('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });

  it('a policy with a wrong expectation is caught (the cross-check can fail)', () => {
    const c = BUILTIN_CASES.find((x) => x.name === 'allow-from-namespace-and-pod')!;
    const mandated = mandatedTable(model, c.steps[0]!.apply, { ips });
    // the OR reading (namespace y or pod b) would wrongly allow y/a and x/b
    const orReading = expectedTable(model, parseRules(['* -> x/a deny', 'y/* -> x/a allow', 'x/b -> x/a allow'], model));
    expect(compareTables(model, mandated, orReading).map(describeMismatch)).toContain('y/a -> x/a:80/TCP expected deny, got allow');
  });
});
