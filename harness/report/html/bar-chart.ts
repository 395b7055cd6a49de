// serviceDistribution's answers per endpoint as an SVG bar chart, with the count
// over each bar and the expected count (uniform share) as a dashed line. An
// endpoint that never answered is drawn red with a cross on its zero.
import { scaleBand, scaleLinear } from 'd3-scale';
import type { Evidence } from '../../results/model.ts';
import { formatNumber, formatPValue, textWidth } from './chart-kit.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';

export type CountsEvidence = Extract<Evidence, { kind: 'counts' }>;

const INNER_H = 170;
const BAR_SLOT = 72;
const MIN_INNER_W = 260;

/** "total 300 · expected 100 each · χ² 151 · p = 1.2e-33": what the chart's caption says. */
export function countsFacts(e: CountsEvidence): string[] {
  const total = Object.values(e.counts).reduce((s, n) => s + n, 0);
  const facts = [`total ${formatNumber(total)}`];
  if (e.expected !== undefined) facts.push(`expected ${formatNumber(e.expected)} each`);
  if (e.statistic !== undefined) facts.push(`χ² = ${formatNumber(e.statistic)}`);
  if (e.pValue !== undefined) facts.push(`p = ${formatPValue(e.pValue)}`);
  return facts;
}

export function countsBarChart(e: CountsEvidence): VNode {
  const entries = Object.entries(e.counts);
  const keys = entries.map(([k]) => k);
  const maxCount = Math.max(1, ...entries.map(([, n]) => n), e.expected ?? 0);
  const y = scaleLinear().domain([0, maxCount]).nice().range([INNER_H, 0]);
  const ticks = y.ticks(5).filter((t) => Number.isInteger(t) || maxCount < 5);

  const labelW = Math.max(0, ...keys.map((k) => textWidth(k)));
  const innerW = Math.max(MIN_INNER_W, keys.length * BAR_SLOT);
  const x = scaleBand().domain(keys).range([0, innerW]).paddingInner(0.3).paddingOuter(0.2);
  // Endpoint names wider than their slot are turned 30 degrees.
  const turn = labelW > x.step() - 6;
  const left = Math.ceil(Math.max(...ticks.map((t) => textWidth(formatNumber(t), 11)), 10)) + 16;
  const expectedLabel = e.expected !== undefined ? `expected ${formatNumber(e.expected)}` : '';
  const right = Math.ceil(textWidth(expectedLabel, 11)) + 12;
  const top = 22;
  const bottom = turn ? Math.ceil(labelW * Math.sin(Math.PI / 6)) + 24 : 30;
  const width = left + innerW + right;
  const height = top + INNER_H + bottom;

  const grid = ticks.map(
    (t) => html`<g class="tick">
      <line class="grid" x1="0" x2=${innerW} y1=${y(t)} y2=${y(t)} />
      <text class="axis-label" x="-8" y=${y(t) + 4} text-anchor="end">${formatNumber(t)}</text>
    </g>`,
  );

  const bars = entries.map(([key, n]) => {
    const bx = x(key) ?? 0;
    const bw = x.bandwidth();
    const top = y(n);
    const zero = n === 0;
    const cx = bx + bw / 2;
    const ly = INNER_H + 16;
    const expectedNote = e.expected !== undefined ? ` (expected ${formatNumber(e.expected)})` : '';
    return html`<g class=${zero ? 'bar bar-zero' : 'bar'} data-key=${key} data-count=${n}>
      <title>${`${key}: ${formatNumber(n)}${expectedNote}`}</title>
      <rect x=${bx} y=${top} width=${bw} height=${Math.max(0, INNER_H - top)} rx="2" />
      ${zero ? html`<line class="zero-mark" x1=${bx} x2=${bx + bw} y1=${INNER_H} y2=${INNER_H} />` : null}
      <text class="bar-value" x=${cx} y=${top - 6} text-anchor="middle">${zero ? `✗ ${n}` : formatNumber(n)}</text>
      ${turn
        ? html`<text class="axis-label" x=${cx} y=${ly} text-anchor="end" transform=${`rotate(-30 ${cx} ${ly})`}>${key}</text>`
        : html`<text class="axis-label" x=${cx} y=${ly} text-anchor="middle">${key}</text>`}
    </g>`;
  });

  const expected =
    e.expected !== undefined
      ? html`<g class="expected">
          <line x1="0" x2=${innerW} y1=${y(e.expected)} y2=${y(e.expected)} />
          <text x=${innerW + 6} y=${y(e.expected) + 4}>${expectedLabel}</text>
        </g>`
      : null;

  const summary = `${e.title}: ${entries.map(([k, n]) => `${k} ${n}`).join(', ')}; ${countsFacts(e).join(', ')}`;
  return html`<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" role="img" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`}>
    <title>${summary}</title>
    <g transform=${`translate(${left} ${top})`}>
      ${grid}
      ${bars}
      <line class="axis" x1="0" x2=${innerW} y1=${INNER_H} y2=${INNER_H} />
      ${expected}
    </g>
  </svg>`;
}
