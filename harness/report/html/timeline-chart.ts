// A timeline (rollout pod counts, failed requests...) as an SVG step chart: each
// series a line that holds its value until the next sample, told apart by colour
// and by dash pattern. Samples that repeat the previous value are dropped before
// drawing: the step shape is the same and the page stays small.
import { scaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import type { Evidence } from '../../results/model.ts';
import { extent, formatNumber, formatOffset, seriesStyle, textWidth } from './chart-kit.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';

export type TimelineEvidence = Extract<Evidence, { kind: 'timeline' }>;

const INNER_W = 600;
const INNER_H = 180;

export interface SeriesPoints {
  name: string;
  points: [t: number, value: number][];
  min?: number;
  max?: number;
  last?: number;
}

/** Each series' samples in time order, with repeats of the previous value left out. */
export function seriesPoints(e: TimelineEvidence): SeriesPoints[] {
  const ordered = [...e.points].filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  return e.series.map((name) => {
    const all: [number, number][] = [];
    for (const p of ordered) {
      const v = p.values[name];
      if (v !== undefined && Number.isFinite(v)) all.push([p.t, v]);
    }
    const kept = all.filter((pt, i) => i === 0 || i === all.length - 1 || pt[1] !== all[i - 1]?.[1]);
    const range = extent(all.map((pt) => pt[1]));
    return range ? { name, points: kept, min: range[0], max: range[1], last: all[all.length - 1]?.[1] } : { name, points: [] };
  });
}

export function timelineChart(e: TimelineEvidence): VNode {
  const series = seriesPoints(e);
  const drawn = series.flatMap((s) => s.points);
  const [t0, t1] = extent(drawn.map((p) => p[0])) ?? [0, 0];
  // The axis counts from the first sample, whatever clock `t` was taken on.
  const x = scaleLinear().domain([0, t1 > t0 ? t1 - t0 : 1000]).range([0, INNER_W]);
  const [lo, hi] = extent(drawn.map((p) => p[1])) ?? [0, 1];
  const vMin = Math.min(0, lo);
  const vMax = Math.max(1, hi);
  const y = scaleLinear().domain([vMin, vMax]).nice().range([INNER_H, 0]);
  const integers = drawn.every((p) => Number.isInteger(p[1]));
  const yTicks = y.ticks(5).filter((t) => !integers || Number.isInteger(t));
  const xTicks = x.ticks(7);
  const xStep = xTicks.length > 1 ? (xTicks[1] ?? 0) - (xTicks[0] ?? 0) : 1000;

  const left = Math.ceil(Math.max(10, ...yTicks.map((t) => textWidth(formatNumber(t), 11)))) + 16;
  const top = 12;
  const right = 16;
  const bottom = 40;
  const width = left + INNER_W + right;
  const height = top + INNER_H + bottom;

  const path = line<[number, number]>()
    .x((p) => x(p[0] - t0))
    .y((p) => y(p[1]))
    .curve(curveStepAfter);

  const lines = series.map((s, i) => {
    const { colour, dash } = seriesStyle(i);
    const title = s.points.length ? `${s.name}: from ${formatNumber(s.min ?? 0)} to ${formatNumber(s.max ?? 0)}, last ${formatNumber(s.last ?? 0)}` : `${s.name}: no samples`;
    const only = s.points.length === 1 ? s.points[0] : undefined;
    return html`<g class="series" data-series=${s.name}>
      <title>${title}</title>
      ${only
        ? html`<circle cx=${x(only[0] - t0)} cy=${y(only[1])} r="3.5" fill=${colour} />`
        : s.points.length > 1
          ? html`<path d=${path(s.points) ?? ''} fill="none" stroke=${colour} stroke-width="2" stroke-dasharray=${dash || undefined} stroke-linejoin="round" />`
          : null}
    </g>`;
  });

  const summary = `${e.title}: ${series.map((s) => (s.points.length ? `${s.name} ${formatNumber(s.min ?? 0)}–${formatNumber(s.max ?? 0)}` : `${s.name} no samples`)).join(', ')} over ${formatOffset(t1 - t0, xStep)}`;
  return html`<svg class="chart timeline" xmlns="http://www.w3.org/2000/svg" role="img" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`}>
    <title>${summary}</title>
    <g transform=${`translate(${left} ${top})`}>
      ${yTicks.map(
        (t) => html`<g class="tick">
          <line class="grid" x1="0" x2=${INNER_W} y1=${y(t)} y2=${y(t)} />
          <text class="axis-label" x="-8" y=${y(t) + 4} text-anchor="end">${formatNumber(t)}</text>
        </g>`,
      )}
      ${xTicks.map(
        (t) => html`<g class="tick">
          <line class="axis" x1=${x(t)} x2=${x(t)} y1=${INNER_H} y2=${INNER_H + 5} />
          <text class="axis-label" x=${x(t)} y=${INNER_H + 18} text-anchor="middle">${formatOffset(t, xStep)}</text>
        </g>`,
      )}
      <line class="axis" x1="0" x2=${INNER_W} y1=${INNER_H} y2=${INNER_H} />
      <text class="axis-title" x=${INNER_W} y=${INNER_H + 34} text-anchor="end">time since first sample</text>
      ${lines}
    </g>
  </svg>`;
}

/** The legend beside the chart: a sample of each line, its name and its range. */
export function timelineLegend(e: TimelineEvidence): VNode {
  const series = seriesPoints(e);
  return html`<ul class="legend">
    ${series.map((s, i) => {
      const { colour, dash } = seriesStyle(i);
      const range = s.points.length ? (s.min === s.max ? `${formatNumber(s.min ?? 0)}` : `${formatNumber(s.min ?? 0)}–${formatNumber(s.max ?? 0)}`) : 'no samples';
      return html`<li>
        <svg class="swatch" width="28" height="10" viewBox="0 0 28 10" aria-hidden="true"><line x1="1" x2="27" y1="5" y2="5" stroke=${colour} stroke-width="2.5" stroke-dasharray=${dash || undefined} /></svg>
        <span class="legend-name">${s.name}</span> <span class="legend-range">${range}</span>
      </li>`;
    })}
  </ul>`;
}
