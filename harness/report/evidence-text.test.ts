import { describe, expect, it } from 'vitest';
import { grid, renderCheckDetail, renderEvidence } from './evidence-text.ts';
import { check } from './testing/sample-run.ts';

describe('evidence as text', () => {
  it('draws a table as an ASCII grid sized to its widest cell', () => {
    expect(grid(['pod', 'ready'], [['web-0', 'true'], ['web-10', 'false']])).toBe(
      ['+--------+-------+', '| pod    | ready |', '+--------+-------+', '| web-0  | true  |', '| web-10 | false |', '+--------+-------+'].join('\n'),
    );
  });

  it('draws a matrix and names its failing cells', () => {
    const text = renderEvidence({
      kind: 'matrix',
      title: 'pods',
      rows: ['a', 'b'],
      cols: ['x', 'y'],
      cells: [
        [{ ok: true, label: '1ms' }, { ok: false, label: 'SNAT', detail: 'saw 10.0.0.1\nnot 10.244.1.5' }],
        [{ ok: true, label: '2ms' }, { ok: true, label: '1ms' }],
      ],
    });
    expect(text.split('\n')).toEqual([
      '=== matrix: pods ===',
      '+-----------+-----+--------+',
      '| from \\ to | x   | y      |',
      '+-----------+-----+--------+',
      '| a         | 1ms | ✗ SNAT |',
      '| b         | 2ms | 1ms    |',
      '+-----------+-----+--------+',
      'failing cells (1/4):',
      '  a -> y: SNAT (saw 10.0.0.1 not 10.244.1.5)',
    ]);
  });

  it('draws counts with total, expectation and test statistics', () => {
    const text = renderEvidence({ kind: 'counts', title: 'answers', counts: { 'web-0': 150, 'web-1': 150 }, expected: 150, statistic: 0, pValue: 1 });
    expect(text).toContain('| web-1 | 150   |');
    expect(text.split('\n').at(-1)).toBe('total 300, expected 150 each, chi-square 0, p-value 1');
  });

  it('keeps an empty grid readable', () => {
    expect(renderEvidence({ kind: 'events', title: 'ns', events: [] })).toBe('=== events: ns ===\n(no events)');
    expect(renderEvidence({ kind: 'table', title: 't', columns: ['a'], rows: [] })).toBe('=== table: t ===\n+---+\n| a |\n+---+');
  });

  it('limits long timelines and tables when asked', () => {
    const points = Array.from({ length: 10 }, (_, t) => ({ t, values: { ready: t } }));
    const text = renderEvidence({ kind: 'timeline', title: 'tl', series: ['ready'], points }, { maxRows: 3 });
    expect(text).toContain('(first 3 of 10 rows)');
    expect(text).not.toContain('| 5 ');
  });

  it('puts reason, hint, assertions and attempts before the evidence', () => {
    const text = renderCheckDetail(
      check('c', {
        status: 'fail',
        reason: 'two of three',
        hint: 'look at the labels',
        points: { earned: 1, max: 3 },
        assertions: [
          { name: 'has 2 containers', passed: true, points: 1 },
          { name: 'share a volume', passed: false, message: 'no common mount', points: 0 },
        ],
        attempts: [
          { attempt: 1, status: 'fail', reason: 'first', durationMs: 1000, evidence: [] },
          { attempt: 2, status: 'fail', reason: 'second', durationMs: 61_000, evidence: [] },
        ],
        evidence: [{ kind: 'text', title: 'note', text: 'see here' }],
      }),
    );
    expect(text).toBe(
      [
        'fail: two of three',
        '',
        'hint: look at the labels',
        '',
        'points: 1/3',
        '',
        'assertions:\n  ✓ has 2 containers [1 pt]\n  ✗ share a volume: no common mount [0 pts]',
        '',
        'attempts:\n  #1 fail in 1.0s: first\n  #2 fail in 1m01s: second',
        '',
        '=== text: note ===\nsee here',
      ].join('\n'),
    );
  });
});
