// The whole document: head (inline styles and a Content-Security-Policy that allows
// no script and no request, so the page stays inert even if something slipped
// past escaping), the run's facts, the summary, then every suite and its checks.
import type { ClusterInfo, RunResult, SuiteResult } from '../../results/model.ts';
import { formatDuration, stripAnsi } from '../format.ts';
import { anchorsOf } from './anchors.ts';
import type { Anchors } from './anchors.ts';
import { checkCard, pointsText } from './check.ts';
import { yamlDetails } from './evidence.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';
import { STATUS_MARK, statusBadge } from './status.ts';
import { PAGE_CSS } from './styles.ts';
import { pointsOf, runStatus, summarySection, verdictText } from './summary.ts';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** "2026-03-01 10:00:00 UTC"; anything that is not a date is shown as it is. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function pageTitle(run: RunResult): string {
  return `kconform ${run.runId}: ${verdictText(run.summary)}${run.interrupted ? ' (interrupted)' : ''} · ${run.cluster.name}`;
}

export function reportPage(run: RunResult): VNode {
  const anchors = anchorsOf(run);
  const status = runStatus(run);
  return html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta http-equiv="Content-Security-Policy" content=${CONTENT_SECURITY_POLICY} />
      <meta name="generator" content=${`kconform ${run.tool.version}`} />
      <title>${pageTitle(run)}</title>
      <style dangerouslySetInnerHTML=${{ __html: PAGE_CSS }}></style>
    </head>
    <body>
      <header class="page-head">
        <div class="title-row">
          <h1>kconform report <span class="run-id">run ${run.runId}</span></h1>
          <p class=${`verdict s-${status}`}><span class="mark" aria-hidden="true">${STATUS_MARK[status]}</span> ${verdictText(run.summary)}</p>
        </div>
        ${run.interrupted
          ? html`<p class="banner interrupted" role="note"><strong><span aria-hidden="true">⚠ </span>Interrupted.</strong> The run was stopped before every check ran; this page shows what had finished.</p>`
          : null}
        ${runFacts(run)}
      </header>
      <main>
        ${summarySection(run, anchors)}
        ${run.suites.length
          ? html`<div class="filter">
              <input type="checkbox" id="only-problems" />
              <label for="only-problems">Show only failed and errored checks</label>
            </div>`
          : null}
        ${run.suites.map((s) => suiteSection(s, anchors))}
      </main>
      <footer class="page-foot">
        kconform ${run.tool.version} · written ${formatTime(run.finishedAt)} · a self-contained page: no scripts, no fonts, no
        network. Long logs and tables are cut here; results.json keeps them whole.
      </footer>
    </body>
  </html>`;
}

function fact(label: string, value: string | number | undefined): VNode | null {
  if (value === undefined || value === '') return null;
  return html`<div class="fact"><dt>${label}</dt><dd>${String(value)}</dd></div>`;
}

function runFacts(run: RunResult): VNode {
  const c: ClusterInfo = run.cluster;
  return html`<dl class="facts">
    ${fact('Run id', run.runId)}
    ${fact('Started', formatTime(run.startedAt))}
    ${fact('Duration', formatDuration(run.durationMs))}
    ${fact('kconform', run.tool.version)}
    ${fact('Cluster', c.name)}
    ${fact('Provider', c.provider)}
    ${fact('Kubernetes', c.kubernetesVersion)}
    ${fact('Nodes', c.nodes)}
    ${fact('CNI', c.cni)}
    ${fact('CRI', c.cri)}
    ${fact('Cluster UID', c.uid)}
    ${c.shape && Object.keys(c.shape).length ? html`<div class="fact shape"><dt>Shape</dt><dd>${yamlDetails(c.shape, 'cluster shape', 'cluster-shape')}</dd></div>` : null}
  </dl>`;
}

function suiteSection(suite: SuiteResult, anchors: Anchors): VNode {
  const points = pointsOf(suite.checks);
  return html`<section class="suite" id=${anchors.suite(suite)} aria-labelledby=${`${anchors.suite(suite)}-title`}>
    <header class="suite-head">
      <h2 id=${`${anchors.suite(suite)}-title`}>Suite ${suite.name} ${statusBadge(suite.status)}</h2>
      <p class="suite-meta">
        <span>file <code>${suite.file}</code></span>
        ${suite.namespace ? html`<span>namespace <code>${suite.namespace}</code></span>` : null}
        <span>${suite.checks.length} ${suite.checks.length === 1 ? 'check' : 'checks'} in ${formatDuration(suite.durationMs)}</span>
        ${points ? html`<span>${pointsText(points)}</span>` : null}
      </p>
    </header>
    ${suite.errors.length
      ? html`<div class="suite-errors" role="note">
          <h3><span aria-hidden="true">${STATUS_MARK.error} </span>Problems outside any check</h3>
          <ul>${suite.errors.map((e) => html`<li>${stripAnsi(e)}</li>`)}</ul>
        </div>`
      : null}
    ${suite.checks.length ? suite.checks.map((c) => checkCard(c, anchors.check(c))) : html`<p class="empty">No check in this suite finished.</p>`}
  </section>`;
}
