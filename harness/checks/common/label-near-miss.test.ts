import { describe, expect, it } from 'vitest';
import { nearMisses, nearlySame, noMatchSentence, selectorMatches, someNames } from './label-near-miss.ts';

const pod = (name: string, labels: Record<string, string>) => ({ name, labels });

describe('selectorMatches', () => {
  it('needs every entry, exactly', () => {
    expect(selectorMatches({ app: 'web' }, { app: 'web', tier: 'x' })).toBe(true);
    expect(selectorMatches({ app: 'web', tier: 'front' }, { app: 'web' })).toBe(false);
    expect(selectorMatches({ app: 'web' }, { app: 'Web' })).toBe(false);
    expect(selectorMatches({ app: 'web' }, undefined)).toBe(false);
  });
});

describe('nearlySame', () => {
  it('takes typos, case and containment, not unrelated words', () => {
    expect(nearlySame('web', 'webapp')).toBe(true);
    expect(nearlySame('web', 'Web')).toBe(true);
    expect(nearlySame('frontend', 'fronted')).toBe(true);
    expect(nearlySame('web', 'db')).toBe(false);
    expect(nearlySame('nginx', 'redis')).toBe(false);
  });
});

describe('nearMisses and noMatchSentence', () => {
  const pods = [
    pod('webapp-7d9f-abcde', { app: 'webapp', 'pod-template-hash': '7d9f' }),
    pod('webapp-7d9f-fghij', { app: 'webapp', 'pod-template-hash': '7d9f' }),
    pod('db-0', { app: 'db' }),
  ];

  it('the typo of the issue: "selector app=web matches no pod; pods carry app=webapp"', () => {
    expect(noMatchSentence({ app: 'web' }, pods, 'pod', 'in namespace shop')).toBe('selector app=web matches no pod; pods carry app=webapp (webapp-7d9f-abcde, webapp-7d9f-fghij)');
  });

  it('a mistyped key with the right value', () => {
    const groups = nearMisses({ app: 'web' }, [pod('w1', { App: 'web' }), pod('w2', { application: 'db' })]);
    expect(groups.map((g) => [g.carry, g.names])).toEqual([['App=web', ['w1']]]);
  });

  it('two entries: the pod with one right and one nearly right comes before the one missing a label', () => {
    const groups = nearMisses({ app: 'web', tier: 'front' }, [pod('a', { app: 'web' }), pod('b', { app: 'web', tier: 'frontend' }), pod('c', { app: 'web', tier: 'front' })]);
    expect(groups.map((g) => [g.carry, g.names])).toEqual([
      ['app=web, tier=frontend', ['b']],
      ['app=web, no tier label', ['a']],
    ]);
  });

  it('says so when nothing comes close, listing the labels seen without the noisy ones', () => {
    expect(noMatchSentence({ app: 'web' }, pods.slice(2), 'pod', 'in namespace shop')).toBe('selector app=web matches no pod; none of the 1 pod in namespace shop comes close (labels seen: app=db)');
    expect(noMatchSentence({ app: 'web' }, [], 'pod', 'in namespace shop')).toBe('selector app=web matches no pod; there are no pods in namespace shop');
    expect(
      noMatchSentence({ disktype: 'ssd' }, [{ name: 'kind-worker', labels: { 'kubernetes.io/hostname': 'kind-worker', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' } }], 'node'),
    ).toBe('selector disktype=ssd matches no node; none of the 1 node comes close (labels seen: node-role.kubernetes.io/control-plane=)');
  });

  it('node labels: a value in the wrong case', () => {
    expect(noMatchSentence({ disktype: 'ssd' }, [{ name: 'kind-worker2', labels: { disktype: 'SSD' } }, { name: 'kind-worker', labels: {} }], 'node')).toBe(
      'selector disktype=ssd matches no node; nodes carry disktype=SSD (kind-worker2)',
    );
  });

  it('shortens long name lists', () => {
    expect(someNames(['e', 'd', 'c', 'b', 'a'])).toBe('a, b, c +2 more');
  });
});
