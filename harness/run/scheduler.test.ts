import { describe, expect, it } from 'vitest';
import { CheckScheduler, waitsFor } from './scheduler.ts';

/** A task that records when it ran, beside what, and ends when told. */
function harness(slots: number) {
  const s = new CheckScheduler(slots);
  const log: string[] = [];
  const running = new Set<string>();
  const overlaps: string[] = [];
  const enders = new Map<string, () => void>();
  // Names starting with T are tolerant: they may run beside an exclusive one (X...).
  const add = (name: string, suite: number, exclusive = false, slow = false) =>
    s.submit({
      suite,
      exclusive,
      slow,
      tolerant: name.startsWith('T'),
      run: () =>
        new Promise<void>((resolve) => {
          log.push(`start ${name}`);
          const intolerant = [...running].filter((r) => !r.startsWith('T'));
          if (exclusive && intolerant.length > 0) overlaps.push(`${name} beside ${intolerant.join(',')}`);
          if (!name.startsWith('T')) for (const r of running) if (r.startsWith('X')) overlaps.push(`${name} beside ${r}`);
          running.add(name);
          enders.set(name, () => {
            running.delete(name);
            log.push(`end ${name}`);
            resolve();
          });
        }),
    });
  const end = async (name: string) => {
    enders.get(name)!();
    await new Promise((r) => setImmediate(r));
  };
  return { s, log, running, overlaps, add, end };
}

describe('CheckScheduler', () => {
  it('runs tolerant checks beside an exclusive one, and nothing else', async () => {
    const h = harness(3);
    const all = [h.add('a1', 0), h.add('T1', 0, false, true), h.add('X1', 1, true), h.add('T2', 1), h.add('X2', 1, true)];
    h.s.openGate();
    expect(h.log).toEqual(['start X1', 'start T1', 'start T2']);
    await h.end('X1');
    // The next exclusive one starts beside the tolerant ones still running; a1 still waits.
    expect(h.log.at(-1)).toBe('start X2');
    await h.end('X2');
    expect(h.log.at(-1)).toBe('start a1');
    for (const n of ['T1', 'T2', 'a1']) await h.end(n);
    await Promise.all(all);
    expect(h.overlaps).toEqual([]);
  });

  it('holds an exclusive check back until the intolerant ones end, tolerant ones may still start', async () => {
    const h = harness(3);
    const a = h.add('a1', 0);
    h.s.openGate();
    const rest = [h.add('X1', 1, true), h.add('b1', 2), h.add('T1', 2)];
    expect(h.log).toEqual(['start a1', 'start T1']);
    await h.end('a1');
    expect(h.log.at(-1)).toBe('start X1');
    await h.end('X1');
    expect(h.log.at(-1)).toBe('start b1');
    for (const n of ['T1', 'b1']) await h.end(n);
    await Promise.all([a, ...rest]);
    expect(h.overlaps).toEqual([]);
  });

  it('starts slow checks before short ones, whatever their suite or order', async () => {
    const h = harness(2);
    const all = [h.add('a1', 0), h.add('a2', 0), h.add('b1', 1), h.add('S1', 0, false, true), h.add('S2', 1, false, true)];
    h.s.openGate();
    expect(h.log).toEqual(['start S1', 'start S2']);
    await h.end('S1');
    await h.end('S2');
    expect(h.log.slice(2).filter((l) => l.startsWith('start'))).toEqual(['start a1', 'start b1']);
    for (const n of ['a1', 'b1']) await h.end(n);
    await h.end('a2');
    await Promise.all(all);
  });

  it('starts nothing until opened, then runs exclusive checks first, alone, while the cluster is idle', async () => {
    const h = harness(3);
    const all = [h.add('a1', 0), h.add('a2', 0), h.add('X1', 1, true), h.add('b1', 2), h.add('X2', 1, true)];
    expect(h.log).toEqual([]);
    h.s.openGate();
    expect([...h.running]).toEqual(['X1']);
    await h.end('X1');
    expect([...h.running]).toEqual(['X2']);
    await h.end('X2');
    // Then up to 3 at once, suites in turn: a1 (suite 0), b1 (suite 2), a2.
    expect([...h.running]).toEqual(['a1', 'b1', 'a2']);
    for (const n of ['a1', 'b1', 'a2']) await h.end(n);
    await Promise.all(all);
    expect(h.overlaps).toEqual([]);
    expect(h.s.peakRunning).toBe(3);
  });

  it('holds new checks back while an exclusive one waits for the running ones, and never runs it beside them', async () => {
    const h = harness(2);
    h.s.openGate();
    const a = h.add('a1', 0);
    const b = h.add('b1', 1);
    const x = h.add('X', 2, true);
    const c = h.add('c1', 3);
    expect([...h.running]).toEqual(['a1', 'b1']);
    await h.end('a1');
    // A slot is free, but X waits for b1 and c1 waits behind X.
    expect([...h.running]).toEqual(['b1']);
    await h.end('b1');
    expect([...h.running]).toEqual(['X']);
    await h.end('X');
    expect([...h.running]).toEqual(['c1']);
    await h.end('c1');
    await Promise.all([a, b, x, c]);
    expect(h.overlaps).toEqual([]);
  });

  it('takes the suites in turn: a suite with a check running waits behind one with none', async () => {
    const h = harness(2);
    h.s.openGate();
    const ps = [h.add('a1', 0), h.add('a2', 0), h.add('a3', 0), h.add('b1', 1)];
    expect([...h.running]).toEqual(['a1', 'a2']);
    await h.end('a1');
    // a3 came first, but suite 0 still has a2 running and suite 1 none.
    expect([...h.running]).toEqual(['a2', 'b1']);
    for (const n of ['a2', 'b1']) await h.end(n);
    await h.end('a3');
    await Promise.all(ps);
  });

  it('passes a task\'s failure to its submitter and frees the slot', async () => {
    const s = new CheckScheduler(1);
    s.openGate();
    const bad = s.submit({ suite: 0, exclusive: false, run: () => Promise.reject(new Error('boom')) });
    const good = s.submit({ suite: 0, exclusive: false, run: () => Promise.resolve() });
    await expect(bad).rejects.toThrow('boom');
    await expect(good).resolves.toBeUndefined();
  });

  it('refuses a slot count that is not a whole number of at least 1', () => {
    expect(() => new CheckScheduler(0)).toThrow('at least 1, got 0');
  });
});

describe('waitsFor', () => {
  it('lets standalone checks skip each other but not an ordered check, which waits for all before it', () => {
    // s0 s1 o2 s3 o4
    expect(waitsFor([true, true, false, true, false])).toEqual([[], [], [0, 1], [2], [0, 1, 2, 3]]);
  });
});
