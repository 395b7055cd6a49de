import { parse } from 'node-html-parser';
import type { HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { countsBarChart, countsFacts } from './bar-chart.ts';
import { extent, formatNumber, formatOffset, formatPValue, seriesStyle } from './chart-kit.ts';
import { failingCells, HEATMAP_COLOURS, latencyShade, matrixHeatmap } from './heatmap.ts';
import type { MatrixEvidence } from './heatmap.ts';
import { renderMarkup } from './markup.ts';
import type { VNode } from './markup.ts';
import { seriesPoints, timelineChart } from './timeline-chart.ts';
import type { TimelineEvidence } from './timeline-chart.ts';
import { answerCounts, podMatrix, rolloutTimeline } from './testing/rich-run.ts';

function svgOf(node: VNode): HTMLElement {
  const svg = parse(renderMarkup(node)).querySelector('svg');
  if (!svg) throw new Error('no <svg> rendered');
  return svg;
}

const num = (el: HTMLElement | null, attr: string): number => Number(el?.getAttribute(attr));

describe('matrix heatmap', () => {
  it('draws one cell per pair, the failing one red with a cross and its detail as the tooltip', () => {
    const m = podMatrix();
    const svg = svgOf(matrixHeatmap(m));
    const cells = svg.querySelectorAll('g.hm-cell');
    expect(cells).toHaveLength(m.rows.length * m.cols.length);
    const failing = svg.querySelectorAll('g.hm-fail');
    expect(failing).toHaveLength(1);
    const bad = failing[0]!;
    expect(bad.getAttribute('data-row')).toBe('pod on kconform-worker');
    expect(bad.getAttribute('data-col')).toBe('kconform-worker2');
    expect(bad.querySelector('rect')?.getAttribute('fill')).toBe(HEATMAP_COLOURS.fail);
    expect(bad.querySelector('text')?.text).toBe('✗ SNAT');
    expect(bad.querySelector('title')?.text).toContain('pod on kconform-worker → kconform-worker2: FAILING (SNAT)');
    expect(bad.querySelector('title')?.text).toContain('expected the client pod IP 10.244.1.5');
    expect(svg.querySelector('title')?.text).toBe(`${m.title}: 17 of 18 cells ok, 1 failing`);
    expect(failingCells(m)).toEqual([{ row: 'pod on kconform-worker', col: 'kconform-worker2', label: 'SNAT', detail: expect.stringContaining('172.18.0.3') }]);
  });

  it('shades ok cells from light (fastest) to deep green (slowest)', () => {
    const m: MatrixEvidence = {
      kind: 'matrix',
      title: 't',
      rows: ['a'],
      cols: ['x', 'y', 'z'],
      cells: [[{ ok: true, label: '1ms', latencyMs: 1 }, { ok: true, label: '5ms', latencyMs: 5 }, { ok: true, label: '9ms', latencyMs: 9 }]],
    };
    const shade = latencyShade(m);
    expect(shade(1)).toBe(latencyShade({ ...m, cells: [[{ ok: true, label: '', latencyMs: 0 }]] })(0));
    const fills = svgOf(matrixHeatmap(m)).querySelectorAll('g.hm-cell rect').map((r) => r.getAttribute('fill'));
    expect(fills[0]).toBe(shade(1));
    expect(fills[2]).toBe(shade(9));
    // Deeper green means a darker colour: the sum of the channels falls with latency.
    const lightness = (c: string | undefined): number => {
      const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(c ?? '') ?? /#(..)(..)(..)/.exec(c ?? '');
      if (!m) throw new Error(`not a colour: ${c}`);
      return [m[1], m[2], m[3]].map((x) => (c?.startsWith('#') ? parseInt(x!, 16) : Number(x))).reduce((a, b) => a + b, 0);
    };
    expect(lightness(fills[0])).toBeGreaterThan(lightness(fills[1]));
    expect(lightness(fills[1])).toBeGreaterThan(lightness(fills[2]));
    expect(lightness(shade(undefined))).toBe(lightness(HEATMAP_COLOURS.fast));
  });

  it('marks a pair the check never measured, and turns long column names only', () => {
    const ragged: MatrixEvidence = { kind: 'matrix', title: 't', rows: ['a', 'b'], cols: ['x', 'y'], cells: [[{ ok: true, label: '1ms' }]] };
    const svg = svgOf(matrixHeatmap(ragged));
    const missing = svg.querySelectorAll('g.hm-missing');
    expect(missing).toHaveLength(3);
    expect(missing[0]?.querySelector('title')?.text).toBe('a → y: not measured');
    expect(svg.querySelectorAll('text.hm-col').every((t) => t.getAttribute('transform') === undefined)).toBe(true);
    const long = svgOf(matrixHeatmap(podMatrix()));
    expect(long.querySelectorAll('text.hm-col').every((t) => /^rotate\(-40 /.test(t.getAttribute('transform') ?? ''))).toBe(true);
  });
});

describe('counts bar chart', () => {
  it('draws bar heights in proportion to the counts, the expected line at its value', () => {
    const svg = svgOf(countsBarChart(answerCounts()));
    const bars = svg.querySelectorAll('g.bar');
    expect(bars.map((b) => b.getAttribute('data-key'))).toEqual(['web-6d9f-0', 'web-6d9f-1', 'web-6d9f-2']);
    const rects = bars.map((b) => b.querySelector('rect'));
    const heights = rects.map((r) => num(r, 'height'));
    const baseline = num(rects[0]!, 'y') + heights[0]!;
    expect(heights[0]! / heights[1]!).toBeCloseTo(152 / 148, 6);
    expect(heights[2]).toBe(0);
    const expectedY = num(svg.querySelector('g.expected line'), 'y1');
    expect((baseline - expectedY) / heights[0]!).toBeCloseTo(100 / 152, 6);
    expect(svg.querySelector('g.expected text')?.text).toBe('expected 100');
    expect(bars.map((b) => b.querySelector('text.bar-value')?.text)).toEqual(['152', '148', '✗ 0']);
    expect(bars[2]?.classList.contains('bar-zero')).toBe(true);
    expect(bars.map((b) => b.querySelector('line.zero-mark') !== null)).toEqual([false, false, true]);
    expect(bars[0]?.querySelector('title')?.text).toBe('web-6d9f-0: 152 (expected 100)');
  });

  it('says the statistics in words and leaves the expected line out when there is none', () => {
    expect(countsFacts(answerCounts())).toEqual(['total 300', 'expected 100 each', 'χ² = 152', 'p = 9.1e-34']);
    const svg = svgOf(countsBarChart({ kind: 'counts', title: 'affinity', counts: { 'web-0': 300, 'web-1': 0 } }));
    expect(svg.querySelector('g.expected')).toBeNull();
    expect(countsFacts({ kind: 'counts', title: 'x', counts: { a: 1234 } })).toEqual(['total 1,234']);
  });
});

describe('timeline chart', () => {
  const e: TimelineEvidence = {
    kind: 'timeline',
    title: 'pods',
    series: ['ready', 'total', 'absent'],
    points: [
      { t: 2000, values: { ready: 3, total: 3 } },
      { t: 0, values: { ready: 3, total: 3 } },
      { t: 1000, values: { ready: 3, total: 4 } },
      { t: 3000, values: { ready: 2 } },
      { t: 4000, values: { ready: 2, total: 3 } },
    ],
  };

  it('orders samples by time and drops values that repeat, keeping the first and the last', () => {
    const s = seriesPoints(e);
    expect(s[0]).toEqual({ name: 'ready', points: [[0, 3], [3000, 2], [4000, 2]], min: 2, max: 3, last: 2 });
    expect(s[1]).toEqual({ name: 'total', points: [[0, 3], [1000, 4], [2000, 3], [4000, 3]], min: 3, max: 4, last: 3 });
    expect(s[2]).toEqual({ name: 'absent', points: [] });
  });

  it('draws each series as a step line across the full width, each with its own dash', () => {
    const svg = svgOf(timelineChart(e));
    const series = svg.querySelectorAll('g.series');
    expect(series.map((g) => g.getAttribute('data-series'))).toEqual(['ready', 'total', 'absent']);
    const paths = series.map((g) => g.querySelector('path'));
    expect(paths[2]).toBeNull();
    const d = paths[1]?.getAttribute('d') ?? '';
    // Step-after: every horizontal run is followed by a vertical one (H then V in d3's path, as L pairs).
    const xs = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(600);
    expect(paths[0]?.getAttribute('stroke-dasharray')).toBeUndefined();
    expect(paths[1]?.getAttribute('stroke-dasharray')).toBe(seriesStyle(1).dash);
    expect(paths[1]?.getAttribute('stroke')).toBe(seriesStyle(1).colour);
    expect(series[0]?.querySelector('title')?.text).toBe('ready: from 2 to 3, last 2');
    expect(series[2]?.querySelector('title')?.text).toBe('absent: no samples');
  });

  it('labels the time axis from the first sample, whatever clock t was read on', () => {
    const epoch = 1_772_000_000_000;
    const shifted: TimelineEvidence = { ...e, points: e.points.map((p) => ({ ...p, t: p.t + epoch })) };
    const labels = svgOf(timelineChart(shifted)).querySelectorAll('g.tick text').map((t) => t.text);
    expect(labels).toContain('0s');
    expect(labels).toContain('4s');
    const rollout = svgOf(timelineChart(rolloutTimeline()));
    expect(rollout.querySelectorAll('g.series path')).toHaveLength(5);
  });

  it('draws a lone sample as a dot', () => {
    const svg = svgOf(timelineChart({ kind: 'timeline', title: 'one', series: ['a'], points: [{ t: 5, values: { a: 1 } }] }));
    expect(svg.querySelectorAll('g.series circle')).toHaveLength(1);
  });
});

describe('chart number formats', () => {
  it('formats counts, p-values and time offsets for reading', () => {
    expect(formatNumber(1412)).toBe('1,412');
    expect(formatNumber(152.0833)).toBe('152');
    expect(formatNumber(0.04567)).toBe('0.0457');
    expect(formatPValue(0.4213)).toBe('0.42');
    expect(formatPValue(0.0312)).toBe('0.031');
    expect(formatPValue(1.2e-33)).toBe('1.2e-33');
    expect(formatPValue(0)).toBe('0');
    expect(formatOffset(1500, 500)).toBe('1.5s');
    expect(formatOffset(20_000, 5000)).toBe('20s');
    expect(formatOffset(150_000, 30_000)).toBe('2m30s');
    expect(extent([3, -1, 7])).toEqual([-1, 7]);
    expect(extent([])).toBeUndefined();
    expect(extent(Array.from({ length: 300_000 }, (_, i) => i))).toEqual([0, 299_999]);
  });
});
