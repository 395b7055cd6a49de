import { describe, expect, it } from 'vitest';
import { MODEL_PORTS, allAllowed, compareTables, denialCount, describeMismatch, flowKey, renderTables, type Model, type Table } from './model.ts';
import { expectedTable, parseRules } from './notation.ts';

const model: Model = { namespaces: ['x', 'y'], pods: ['a', 'b'], ports: MODEL_PORTS, dns: true };

describe('truth tables', () => {
  const expected = expectedTable(model, parseRules(['* -> x/a deny'], model));
  const observed: Table = new Map(allAllowed(model));
  observed.set(flowKey({ from: 'x/b', to: 'x/a:80/TCP' }), 'deny');
  observed.set(flowKey({ from: 'y/a', to: 'x/a:80/TCP' }), 'deny');

  it('names each mismatching cell', () => {
    const mm = compareTables(model, expected, observed);
    expect(mm.map(describeMismatch)).toEqual([
      'x/b -> x/a:81/TCP expected deny, got allow',
      'x/b -> x/a:80/UDP expected deny, got allow',
      'y/a -> x/a:81/TCP expected deny, got allow',
      'y/a -> x/a:80/UDP expected deny, got allow',
      'y/b -> x/a:80/TCP expected deny, got allow',
      'y/b -> x/a:81/TCP expected deny, got allow',
      'y/b -> x/a:80/UDP expected deny, got allow',
    ]);
    expect(denialCount(model, expected, observed)).toEqual({ denies: 9, denied: 2 });
  });

  it('counts a flow that was never probed as a mismatch', () => {
    const partial: Table = new Map(allAllowed(model));
    partial.delete(flowKey({ from: 'y/b', to: 'dns' }));
    expect(compareTables(model, allAllowed(model), partial).map(describeMismatch)).toEqual(['y/b -> dns expected allow, got not probed']);
  });

  it('prints expected and observed side by side, marking differences', () => {
    const text = renderTables(model, expected, observed);
    expect(text).toContain(
      [
        '80/TCP (serve-80-tcp)',
        '    expected           observed',
        '    x/a x/b y/a y/b    x/a x/b y/a y/b',
        'x/a -   .   .   .      -   .   .   .',
        'x/b X   -   .   .      X   -   .   .',
        'y/a X   .   -   .      X   .   -   .',
        'y/b X   .   .   -      .!  .   .   -',
      ].join('\n'),
    );
    expect(text).toContain('dns (lookup through the cluster DNS)');
  });
});

describe('model namespaces', () => {
  it('are named after the suite namespace and the check, within 63 characters', async () => {
    const { realNamespace } = await import('../workload.ts');
    expect(realNamespace('kconform-net-abc123', 'np', 'x', 1)).toBe('kconform-net-abc123-np-x');
    expect(realNamespace('kconform-net-abc123', 'np-broken', 'x', 1)).not.toBe(realNamespace('kconform-net-abc123', 'np', 'x', 1));
    const long = realNamespace(`kconform-${'a'.repeat(60)}`, 'network-policy', 'z', 2);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long.endsWith('-network-poli-z-a2')).toBe(true);
  });
});
