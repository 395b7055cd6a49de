import { describe, expect, it } from 'vitest';
import { chooseChecks, compileSelection, formatSelector, matchesSelector, parseSelector, parseShard, SelectorError, shardSlice } from './select.ts';

describe('label selectors (kubectl syntax)', () => {
  it('parses every form kubectl accepts', () => {
    expect(parseSelector('a=1, b==2,c!=3,d,!e, f in (x, y),g notin (z)')).toEqual([
      { key: 'a', op: '=', values: ['1'] },
      { key: 'b', op: '=', values: ['2'] },
      { key: 'c', op: '!=', values: ['3'] },
      { key: 'd', op: 'exists' },
      { key: 'e', op: 'notExists' },
      { key: 'f', op: 'in', values: ['x', 'y'] },
      { key: 'g', op: 'notIn', values: ['z'] },
    ]);
    expect(parseSelector('kconform.io/area=network')).toEqual([{ key: 'kconform.io/area', op: '=', values: ['network'] }]);
    expect(parseSelector('')).toEqual([]);
    expect(formatSelector(parseSelector('a=1,!b,c in (x,y)'))).toBe('a=1,!b,c in (x,y)');
  });

  it.each([
    ['a in (b', /column 8: expected ',' or '\)'/],
    ['a ~ b', /column 3: expected =, ==, !=, in or notin after 'a'/],
    ['=b', /column 1: expected a label key/],
    ['a=b c', /expected ',' between requirements/],
    ['a=b,', /expected a label key/],
    ['a=/x/', /invalid label value/],
    ['a in b', /expected '\(' after in/],
  ])('rejects %j with the column', (text, msg) => {
    expect(() => parseSelector(text)).toThrow(SelectorError);
    expect(() => parseSelector(text)).toThrow(msg);
  });

  it('matches with Kubernetes semantics (!= and notin also match a missing key)', () => {
    const labels = { area: 'network', slow: 'true' };
    const m = (s: string) => matchesSelector(parseSelector(s), labels);
    expect(m('area=network')).toBe(true);
    expect(m('area!=network')).toBe(false);
    expect(m('kind!=dns')).toBe(true);
    expect(m('slow')).toBe(true);
    expect(m('!slow')).toBe(false);
    expect(m('!destructive')).toBe(true);
    expect(m('area in (lifecycle,network)')).toBe(true);
    expect(m('area notin (network)')).toBe(false);
    expect(m('kind notin (dns)')).toBe(true);
    expect(m('kind in (dns)')).toBe(false);
    expect(m('area=network,!slow')).toBe(false);
  });
});

describe('selection', () => {
  const pick = (sel: Parameters<typeof compileSelection>[0], ids: string[]) => {
    const f = compileSelection(sel);
    return f ? ids.filter((id) => f(id, {})) : ids;
  };
  const ids = ['net/dns', 'net/pod-network', 'life/rollout', 'life/eviction-drain'];
  it('--grep keeps, --grep-invert and a leading ! in --filter drop; /regex/ works in all', () => {
    expect(pick({ grep: ['net/'] }, ids)).toEqual(['net/dns', 'net/pod-network']);
    expect(pick({ grep: ['dns', 'rollout'] }, ids)).toEqual(['net/dns', 'life/rollout']);
    expect(pick({ grepInvert: ['/drain|dns/'] }, ids)).toEqual(['net/pod-network', 'life/rollout']);
    expect(pick({ filter: '!life/' }, ids)).toEqual(['net/dns', 'net/pod-network']);
    expect(pick({ filter: 'life/', grepInvert: ['drain'] }, ids)).toEqual(['life/rollout']);
    expect(compileSelection({})).toBeUndefined();
  });
  it('a bad regex is a SelectorError naming the flag', () => {
    expect(() => compileSelection({ grep: ['/(/'] })).toThrow(/--grep: expected a substring or a \/regular expression\/, got '\/\(\/' \(\/\(\/: /);
  });
});

describe('sharding', () => {
  it('parses i/n and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '1/2/3']) expect(() => parseShard(bad)).toThrow(/--shard: expected i\/n/);
  });
  it('splits deterministically into contiguous parts whose sizes differ by at most one, covering everything once', () => {
    for (const n of [0, 1, 2, 5, 20, 21, 22]) {
      const items = Array.from({ length: n }, (_, i) => i);
      for (const total of [1, 2, 3, 7]) {
        const parts = Array.from({ length: total }, (_, i) => shardSlice(items, { index: i + 1, total }));
        expect(parts.flat()).toEqual(items);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(parts).toEqual(Array.from({ length: total }, (_, i) => shardSlice(items, { index: i + 1, total })));
      }
    }
    expect(shardSlice([1, 2, 3, 4, 5, 6, 7], { index: 1, total: 3 })).toEqual([1, 2, 3]);
    expect(shardSlice([1, 2, 3, 4, 5, 6, 7], { index: 3, total: 3 })).toEqual([6, 7]);
  });
});

describe('chooseChecks', () => {
  const suites = [
    { suite: { name: 'a', labels: { team: 'net', destructive: 'false' }, checks: [{ kind: 'dns' }, { kind: 'eviction', name: 'drain', labels: { slow: 'no', kind: 'fake' } }] } },
    { suite: { name: 'b', checks: [{ kind: 'nodes' }] } },
  ];
  const builtIn = (spec: { kind: string; name?: string | undefined }, suite: string) => ({ kind: spec.kind, suite, ...(spec.name === 'drain' ? { destructive: 'true', slow: 'true' } : {}) });

  it('labels: built-in, then suite, then check; kind, suite and destructive cannot be overridden', () => {
    const m = chooseChecks(suites, {}, builtIn);
    expect([...m.keys()]).toEqual(['a/dns', 'a/drain', 'b/nodes']);
    expect(m.get('a/drain')).toEqual({ kind: 'eviction', suite: 'a', destructive: 'true', slow: 'no', team: 'net' });
    expect(m.get('a/dns')).toMatchObject({ team: 'net', destructive: 'false' });
  });
  it('a selector of !destructive never lets a destructive check through, whatever the suite says', () => {
    const m = chooseChecks(suites, { selection: { selector: parseSelector('destructive!=true') } }, builtIn);
    expect([...m.keys()]).toEqual(['a/dns', 'b/nodes']);
  });
  it('the shard cuts after selection, in plan order', () => {
    expect([...chooseChecks(suites, { shard: { index: 1, total: 2 } }, builtIn).keys()]).toEqual(['a/dns', 'a/drain']);
    expect([...chooseChecks(suites, { shard: { index: 2, total: 2 } }, builtIn).keys()]).toEqual(['b/nodes']);
    expect([...chooseChecks(suites, { filter: '!drain', shard: { index: 2, total: 2 } }, builtIn).keys()]).toEqual(['b/nodes']);
  });
});
