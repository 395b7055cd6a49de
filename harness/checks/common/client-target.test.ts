import { describe, expect, it } from 'vitest';
import { attribute, type Cell } from './client-target.ts';

const words = { target: (t: string) => `node ${t}`, answers: 'answers at NodePort 31000' };
const grid = (fail: (c: string, t: string) => string | undefined, clients = ['a', 'b'], targets = ['a', 'b', 'c']): Cell[] =>
  clients.flatMap((c) => targets.map((t) => {
    const p = fail(c, t);
    return { client: c, target: t, ok: !p, ...(p ? { problem: p } : {}) };
  }));

describe('attribute', () => {
  it("blames the client's node when nothing answers from it and everything from another", () => {
    const r = attribute(grid((c) => (c === 'a' ? 'timeout' : undefined)), { ...words, clientCause: (c) => (c === 'a' ? 'no kube-proxy pod runs there' : undefined) });
    expect(r.badClients).toEqual(['a']);
    expect(r.badTargets).toEqual([]);
    expect(r.sentences).toEqual(['from node a nothing answers at NodePort 31000 (timeout); from node b all 3 answer: the fault is on node a: no kube-proxy pod runs there']);
  });

  it('blames a target that fails from every client', () => {
    const r = attribute(grid((_c, t) => (t === 'c' ? 'refused' : undefined)), words);
    expect(r.badClients).toEqual([]);
    expect(r.badTargets).toEqual(['c']);
    expect(r.sentences).toEqual(['node c does not answer at NodePort 31000 from any working client (node a, node b): refused']);
  });

  it('says the fault is not on one client when nothing answers anywhere', () => {
    const r = attribute(grid(() => 'timeout'), words);
    expect(r.badClients).toEqual([]);
    expect(r.sentences[0]).toBe('nothing answers at NodePort 31000 from any client (node a, node b): timeout; the fault is not on one client\'s node');
  });

  it('names single failing cells, and nothing on a healthy grid', () => {
    expect(attribute(grid((c, t) => (c === 'b' && t === 'a' ? 'timeout' : undefined)), words).sentences).toEqual(['from node b, node a does not answer at NodePort 31000: timeout']);
    expect(attribute(grid(() => undefined), words).sentences).toEqual([]);
  });
});
