// The page's only stylesheet, inlined in <style>: system fonts (nothing to fetch),
// status colours with enough contrast on white, and print rules so a grader can
// print the score sheet. The charts take their colours from here too.
export const PAGE_CSS = `
:root {
  color-scheme: light;
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --card: #fff;
  --pass: #1a7f37; --pass-bg: #dafbe1;
  --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #9a3412; --error-bg: #fff1e5;
  --skip: #59636e; --skip-bg: #eff2f5;
  --flaky: #7a5a00; --flaky-bg: #fff8c5;
  --accent: #0969da;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; color: var(--fg); background: var(--soft);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
  line-height: 1.5;
}
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.86rem; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus-visible { text-decoration: underline; }
h1, h2, h3, h4, h5 { line-height: 1.25; margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.page-head { background: #fff; border-bottom: 1px solid var(--line); padding: 20px 32px 16px; }
.page-head, main, .page-foot { max-width: 1180px; margin: 0 auto; }
.page-head { max-width: none; }
.page-head > * { max-width: 1116px; margin-left: auto; margin-right: auto; }
.title-row { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px 24px; }
h1 { font-size: 1.6rem; font-weight: 650; letter-spacing: -0.01em; }
h1 .run-id { font-weight: 400; color: var(--muted); font-size: 1.1rem; margin-left: 6px; }
.verdict { margin: 0; font-weight: 600; padding: 4px 12px; border-radius: 999px; border: 1px solid currentColor; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 14px auto 0; }
.fact dt { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.fact dd { margin: 0; font-weight: 500; }
.fact.shape dd { font-weight: 400; }
.fact.shape pre { font-size: 0.8rem; }
.banner { margin: 14px auto 0; padding: 10px 14px; border-radius: 6px; }
.banner.interrupted { background: var(--flaky-bg); border: 1px solid #d4a72c; color: #4d3800; }

main { padding: 8px 32px 24px; }
main > section { margin-top: 24px; }
h2 { font-size: 1.3rem; font-weight: 650; margin-bottom: 12px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }

.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
.tile { background: var(--card); border: 1px solid var(--line); border-top: 4px solid var(--skip); border-radius: 8px; padding: 10px 16px; min-width: 112px; display: flex; flex-direction: column; }
.tile-value { font-size: 1.6rem; font-weight: 650; line-height: 1.2; }
.tile-value .mark { font-size: 1.1rem; }
.tile-label { color: var(--muted); font-size: 0.85rem; }
.tile.s-pass { border-top-color: var(--pass); } .tile.s-pass .mark { color: var(--pass); }
.tile.s-fail { border-top-color: var(--fail); } .tile.s-fail .mark { color: var(--fail); }
.tile.s-error { border-top-color: var(--error); } .tile.s-error .mark { color: var(--error); }
.tile.t-flaky { border-top-color: #d4a72c; } .tile.t-flaky .mark { color: var(--flaky); }
.tile.t-points { border-top-color: var(--accent); } .tile.t-points .mark { color: var(--accent); }

.badge { display: inline-flex; align-items: center; gap: 4px; font-size: 0.78rem; font-weight: 600; padding: 1px 9px; border-radius: 999px; white-space: nowrap; vertical-align: middle; border: 1px solid transparent; }
.badge.s-pass { color: var(--pass); background: var(--pass-bg); border-color: #aceebb; }
.badge.s-fail { color: #a40e26; background: var(--fail-bg); border-color: #ffcecb; }
.badge.s-error { color: var(--error); background: var(--error-bg); border-color: #ffd8b5; }
.badge.s-skip { color: var(--skip); background: var(--skip-bg); border-color: var(--line); }
.badge.flaky { color: var(--flaky); background: var(--flaky-bg); border-color: #eed888; }
.verdict.s-pass { color: var(--pass); background: var(--pass-bg); }
.verdict.s-fail { color: #a40e26; background: var(--fail-bg); }
.verdict.s-error { color: var(--error); background: var(--error-bg); }
.verdict.s-skip { color: var(--skip); background: var(--skip-bg); }

.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; background: var(--card); font-size: 0.9rem; }
th, td { text-align: left; padding: 6px 12px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); background: var(--soft); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #afb8c1; }
td.n-pass { color: var(--pass); font-weight: 600; } td.n-fail { color: var(--fail); font-weight: 600; }
td.n-error { color: var(--error); font-weight: 600; } td.n-skip { color: var(--skip); font-weight: 600; }
table.suites { min-width: 640px; border: 1px solid var(--line); border-radius: 8px; }
table.suites th[scope=row] { font-weight: 600; }

.attention { margin-top: 16px; background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 8px; padding: 12px 16px; }
.attention h3 { font-size: 1rem; margin-bottom: 6px; }
.attention ul { margin: 0; padding: 0; list-style: none; }
.attention li { padding: 3px 0; }

.filter { margin-top: 24px; display: flex; align-items: center; gap: 8px; color: var(--muted); }
.filter input { width: 16px; height: 16px; margin: 0; }
body:has(#only-problems:checked) .check.s-pass, body:has(#only-problems:checked) .check.s-skip { display: none; }

.suite { margin-top: 28px; }
.suite-head { border-bottom: 2px solid var(--line); margin-bottom: 14px; padding-bottom: 6px; }
.suite-head h2 { margin-bottom: 2px; }
.suite-meta { margin: 0; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.9rem; }
.suite-errors { background: var(--error-bg); border: 1px solid #ffd8b5; border-radius: 8px; padding: 10px 16px; margin-bottom: 14px; }
.suite-errors h3 { font-size: 1rem; color: var(--error); }
.suite-errors li { white-space: pre-wrap; }
.empty { color: var(--muted); font-style: italic; }

.check { background: var(--card); border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 8px; padding: 12px 18px 14px; margin-bottom: 14px; }
.check.s-pass { border-left-color: var(--pass); }
.check.s-fail { border-left-color: var(--fail); }
.check.s-error { border-left-color: #e16f24; }
.check:target { outline: 3px solid var(--accent); outline-offset: 2px; }
.check-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 6px 16px; }
.check-head h3 { font-size: 1.08rem; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.check-name { font-weight: 650; }
.check-kind { font-weight: 400; font-size: 0.8rem; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; }
.check-meta { display: flex; align-items: center; gap: 12px; color: var(--muted); font-size: 0.88rem; }
.points { font-weight: 600; color: var(--fg); background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; font-size: 0.82rem; }
.points.full { color: var(--pass); }
.duration { font-variant-numeric: tabular-nums; }
.reason { margin: 8px 0 0; font-size: 0.98rem; }
.check.s-fail .reason, .check.s-error .reason { font-weight: 500; }
.hint { margin: 8px 0 0; padding: 6px 12px; background: #ddf4ff; border-left: 3px solid var(--accent); border-radius: 4px; }

.assertions { list-style: none; margin: 10px 0 0; padding: 0; }
.assertions li { padding: 1px 0; }
.assertions .mark { display: inline-block; width: 1.2em; font-weight: 700; }
.assertions .ok .mark { color: var(--pass); } .assertions .bad .mark { color: var(--fail); }
.a-msg { color: var(--muted); }
.a-points { font-size: 0.8rem; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }

.attempts { margin-top: 12px; }
.attempts h4, .ev-title { font-size: 0.92rem; font-weight: 600; margin-bottom: 6px; }
.attempts ol { list-style: none; margin: 0; padding: 0; }
.attempt { padding: 4px 0; border-top: 1px dashed var(--line); }
.attempt-no { font-weight: 600; color: var(--muted); font-variant-numeric: tabular-nums; }
.attempt .duration { color: var(--muted); margin: 0 8px; }
.attempt-evidence { margin: 4px 0 4px 24px; }

.evidence-list { margin-top: 12px; display: flex; flex-direction: column; gap: 14px; }
.evidence { border-top: 1px solid var(--line); padding-top: 10px; }
.ev-kind { font-size: 0.7rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 1px 6px; margin-right: 6px; vertical-align: 1px; font-weight: 600; }
.ev-sub { font-weight: 400; color: var(--muted); font-size: 0.85rem; }
pre { margin: 0; padding: 10px 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 32rem; overflow-y: auto; }
details > summary { cursor: pointer; color: var(--accent); font-size: 0.9rem; padding: 2px 0; }
details[open] > summary { margin-bottom: 6px; }
.note { color: var(--muted); font-size: 0.85rem; margin: 4px 0 0; }
table.data { min-width: 50%; border: 1px solid var(--line); }
table.data td { font-size: 0.86rem; }
table.events tr.warning td { background: #fff8c5; }
td.nowrap { white-space: nowrap; }
.bars .zero-mark { stroke: var(--fail); stroke-width: 3; }

.chart-figure { margin: 0; }
.chart-scroll { overflow-x: auto; }
svg.chart { display: block; max-width: none; font-family: inherit; }
svg.chart text { font-size: 12px; fill: var(--fg); }
svg.chart .axis-label { font-size: 11px; fill: var(--muted); }
svg.chart .axis-title { font-size: 11px; fill: var(--muted); font-style: italic; }
svg.chart .grid { stroke: #eaeef2; }
svg.chart .axis { stroke: #8c959f; }
.heatmap .hm-cell text { font-variant-numeric: tabular-nums; }
.heatmap .hm-ok text { fill: #0b3d1c; }
.heatmap .hm-fail text { fill: #fff; font-weight: 700; }
.heatmap .hm-cell:hover rect { stroke: var(--fg); stroke-width: 1.5; }
.heatmap .hm-col, .heatmap .hm-rowlabel { font-weight: 600; }
.heatmap .hm-corner { fill: var(--muted); font-size: 11px; font-style: italic; }
.bars .bar rect { fill: #218bff; }
.bars .bar:hover rect { fill: var(--accent); }
.bars .bar-zero text.bar-value { fill: var(--fail); font-weight: 700; }
.bars .bar-value { font-weight: 600; font-variant-numeric: tabular-nums; }
.bars .expected line { stroke: #bf8700; stroke-width: 2; stroke-dasharray: 6 4; }
.bars .expected text { fill: #7d4e00; font-size: 11px; font-weight: 600; }
.timeline .series:hover path { stroke-width: 3; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 6px; display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: center; }
.key { display: inline-flex; align-items: center; gap: 4px; }
.swatch-box { display: inline-block; width: 14px; height: 12px; border-radius: 2px; border: 1px solid rgba(0,0,0,0.12); }
.legend { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.legend-name { color: var(--fg); font-weight: 600; }
.failing-cells { margin-top: 8px; font-size: 0.9rem; }
.failing-cells p { margin: 0; color: var(--fail); }
.failing-cells ul { margin: 2px 0 0; padding-left: 20px; }
.failing-cells .pair { font-weight: 600; }
.failing-cells .detail { color: var(--muted); }
.all-ok { color: var(--pass); margin: 6px 0 0; font-size: 0.9rem; }
details.data { margin-top: 6px; }

.page-foot { color: var(--muted); font-size: 0.82rem; padding: 16px 32px 32px; border-top: 1px solid var(--line); }

@media (max-width: 700px) {
  .page-head, main, .page-foot { padding-left: 14px; padding-right: 14px; }
}
@media print {
  body { background: #fff; }
  .filter { display: none; }
  .check { break-inside: avoid; }
  pre { max-height: none; }
}
`;
