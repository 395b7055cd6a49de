// Each kind of evidence drawn the way a person would rather read it: the matrix as a
// heatmap, counts as bars, a timeline as a step chart, tables and events as tables,
// logs and objects folded away in <details>. The charts carry their numbers too
// (tooltips, captions, a data table), so nothing is only a picture.
import { stringify as toYaml } from 'yaml';
import type { Evidence, EventRecord } from '../../results/model.ts';
import { stripAnsi } from '../format.ts';
import { redactText } from '../redact.ts';
import { countsBarChart, countsFacts } from './bar-chart.ts';
import type { CountsEvidence } from './bar-chart.ts';
import { formatNumber } from './chart-kit.ts';
import { failingCells, HEATMAP_COLOURS, matrixHeatmap } from './heatmap.ts';
import type { MatrixEvidence } from './heatmap.ts';
import { PAGE_LIMITS } from './limits.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';
import { timelineChart, timelineLegend } from './timeline-chart.ts';
import type { TimelineEvidence } from './timeline-chart.ts';

export type HeadingLevel = 4 | 5;

export function evidenceList(items: Evidence[], level: HeadingLevel): VNode | null {
  if (items.length === 0) return null;
  return html`<div class="evidence-list">${items.map((e) => evidenceItem(e, level))}</div>`;
}

export function evidenceItem(e: Evidence, level: HeadingLevel): VNode {
  const heading = `h${level}`;
  const sub = e.kind === 'logs' ? html`<span class="ev-sub">pod ${e.pod}, container ${e.container}</span>` : null;
  return html`<section class=${`evidence ev-${e.kind}`}>
    <${heading} class="ev-title"><span class="ev-kind">${e.kind}</span> ${e.title} ${sub}<//>
    ${evidenceBody(e)}
  </section>`;
}

function evidenceBody(e: Evidence): VNode {
  switch (e.kind) {
    case 'text':
      return html`<pre class="text">${clip(stripAnsi(e.text))}</pre>`;
    case 'table':
      return dataTable(e.columns, e.rows, PAGE_LIMITS.tableRows);
    case 'matrix':
      return matrixFigure(e);
    case 'counts':
      return countsFigure(e);
    case 'timeline':
      return timelineFigure(e);
    case 'events':
      return eventsTable(e.events);
    case 'logs':
      return logsBlock(e.text);
    case 'object':
      return objectBlock(e.object);
    default: {
      const never: never = e;
      return html`<pre class="text">${JSON.stringify(never)}</pre>`;
    }
  }
}

function clip(text: string): string {
  const max = PAGE_LIMITS.textChars;
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${formatNumber(text.length - max)} more characters in results.json)`;
}

export function dataTable(columns: string[], rows: (string | number)[][], maxRows: number): VNode {
  const shown = rows.slice(0, maxRows);
  return html`<div class="table-wrap">
    <table class="data">
      <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>
        ${shown.map(
          (r) => html`<tr>${columns.map((_, i) => {
            const v = r[i];
            return html`<td class=${typeof v === 'number' ? 'num' : undefined}>${v === undefined ? '' : typeof v === 'number' ? formatNumber(v) : stripAnsi(v)}</td>`;
          })}</tr>`,
        )}
      </tbody>
    </table>
    ${rows.length === 0 ? html`<p class="note">(no rows)</p>` : null}
    ${rows.length > maxRows ? html`<p class="note">first ${formatNumber(maxRows)} of ${formatNumber(rows.length)} rows; all of them are in results.json</p>` : null}
  </div>`;
}

function matrixFigure(e: MatrixEvidence): VNode {
  const failing = failingCells(e);
  const total = e.rows.length * e.cols.length;
  return html`<figure class="chart-figure">
    <div class="chart-scroll">${matrixHeatmap(e)}</div>
    <figcaption>
      <span class="key"><span class="swatch-box" style=${`background:${HEATMAP_COLOURS.fast}`}></span><span class="swatch-box" style=${`background:${HEATMAP_COLOURS.slow}`}></span> reachable (deeper green: slower)</span>
      <span class="key"><span class="swatch-box" style=${`background:${HEATMAP_COLOURS.fail}`}></span> ✗ failing</span>
      <span class="key">rows: from, columns: to; hover a cell for its detail</span>
    </figcaption>
    ${failing.length
      ? html`<div class="failing-cells">
          <p><strong>${failing.length} of ${total} cells failing:</strong></p>
          <ul>
            ${failing.map((f) => html`<li><span class="pair">${f.row} → ${f.col}</span>: ${f.label}${f.detail ? html` <span class="detail">(${f.detail})</span>` : null}</li>`)}
          </ul>
        </div>`
      : html`<p class="all-ok"><span aria-hidden="true">✓</span> all ${total} cells ok</p>`}
  </figure>`;
}

function countsFigure(e: CountsEvidence): VNode {
  const entries = Object.entries(e.counts);
  if (entries.length === 0) return html`<p class="note">(no counts)</p>`;
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const rows = entries.map(([k, n]) => [k, n, total ? `${((100 * n) / total).toFixed(1)}%` : '–']);
  return html`<figure class="chart-figure">
    <div class="chart-scroll">${countsBarChart(e)}</div>
    <figcaption>${countsFacts(e).join(' · ')}</figcaption>
    <details class="data">
      <summary>data</summary>
      ${dataTable(['key', 'count', 'share'], rows, PAGE_LIMITS.tableRows)}
    </details>
  </figure>`;
}

function timelineFigure(e: TimelineEvidence): VNode {
  if (e.points.length === 0) return html`<p class="note">(no samples)</p>`;
  const rows = e.points.map((p) => [p.t, ...e.series.map((s) => p.values[s] ?? '')]);
  return html`<figure class="chart-figure">
    <div class="chart-scroll">${timelineChart(e)}</div>
    <figcaption>${timelineLegend(e)}</figcaption>
    <details class="data">
      <summary>data (${formatNumber(e.points.length)} samples)</summary>
      ${dataTable(['t (ms)', ...e.series], rows, PAGE_LIMITS.timelineRows)}
    </details>
  </figure>`;
}

function eventsTable(events: EventRecord[]): VNode {
  if (events.length === 0) return html`<p class="note">(no events)</p>`;
  const shown = events.slice(0, PAGE_LIMITS.tableRows);
  return html`<div class="table-wrap">
    <table class="data events">
      <thead><tr><th scope="col">time</th><th scope="col">type</th><th scope="col">reason</th><th scope="col">object</th><th scope="col">count</th><th scope="col">message</th></tr></thead>
      <tbody>
        ${shown.map(
          (ev) => html`<tr class=${ev.type === 'Warning' ? 'warning' : undefined}>
            <td class="nowrap">${ev.time}</td>
            <td class="nowrap">${ev.type === 'Warning' ? html`<span aria-hidden="true">⚠ </span>` : null}${ev.type}</td>
            <td class="nowrap">${ev.reason}</td>
            <td class="nowrap">${ev.object}</td>
            <td class="num">${ev.count ?? ''}</td>
            <td>${stripAnsi(ev.message)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${events.length > shown.length ? html`<p class="note">first ${formatNumber(shown.length)} of ${formatNumber(events.length)} events</p>` : null}
  </div>`;
}

function logsBlock(text: string): VNode {
  const lines = stripAnsi(text).replace(/\n$/, '').split('\n');
  const empty = lines.length === 1 && lines[0] === '';
  if (empty) return html`<p class="note">(empty log)</p>`;
  const max = PAGE_LIMITS.logLines;
  const cut = lines.length > max;
  const shown = cut ? lines.slice(-max) : lines;
  return html`<details class="log">
    <summary>${cut ? `last ${formatNumber(max)} of ${formatNumber(lines.length)} lines` : `${formatNumber(lines.length)} ${lines.length === 1 ? 'line' : 'lines'}`}</summary>
    <pre>${clip(shown.join('\n'))}</pre>
  </details>`;
}

function objectBlock(object: unknown): VNode {
  return yamlDetails(object, 'YAML', 'object');
}

/** An object as folded YAML; the summary says how long it is. */
export function yamlDetails(object: unknown, label: string, cls: string): VNode {
  // Redacted again as text: YAML can set a key beside a value the model kept apart.
  const yaml = redactText(toYaml(object ?? null, { lineWidth: 0 }).replace(/\n$/, ''));
  const lines = yaml.split('\n').length;
  return html`<details class=${cls}>
    <summary>${label} (${formatNumber(lines)} ${lines === 1 ? 'line' : 'lines'})</summary>
    <pre>${clip(yaml)}</pre>
  </details>`;
}
