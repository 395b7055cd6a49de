// The top of the report: totals as tiles, one row per suite (counts, points,
// duration) and the list of checks that need attention, each a link to its card.
import { summarize, worstStatus } from '../../results/model.ts';
import type { CheckResult, RunResult, Status, SuiteResult, Summary } from '../../results/model.ts';
import { formatDuration, oneLine } from '../format.ts';
import type { Anchors } from './anchors.ts';
import { pointsText } from './check.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';
import { STATUS_MARK, statusBadge } from './status.ts';

export interface Points {
  earned: number;
  max: number;
}

/** Points over the checks that carry them; undefined when none does. */
export function pointsOf(checks: CheckResult[]): Points | undefined {
  const graded = checks.filter((c) => c.points);
  if (graded.length === 0) return undefined;
  return graded.reduce((p, c) => ({ earned: p.earned + (c.points?.earned ?? 0), max: p.max + (c.points?.max ?? 0) }), { earned: 0, max: 0 });
}

export function allChecks(run: RunResult): CheckResult[] {
  return run.suites.flatMap((s) => s.checks);
}

/** The run's verdict: the worst status of its checks, an error if a suite had one. */
export function runStatus(run: RunResult): Status {
  const statuses = allChecks(run).map((c) => c.status);
  if (run.suites.some((s) => s.errors.length > 0)) statuses.push('error');
  return worstStatus(statuses);
}

export function verdictText(s: Summary): string {
  if (s.total === 0) return 'no checks finished';
  const parts = [`${s.passed} of ${s.total} ${s.total === 1 ? 'check' : 'checks'} passed`];
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.errored) parts.push(`${s.errored} ${s.errored === 1 ? 'error' : 'errors'}`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (s.flaky) parts.push(`${s.flaky} flaky`);
  return parts.join(', ');
}

function tile(cls: string, mark: string, value: string, label: string): VNode {
  return html`<div class=${`tile ${cls}`}>
    <span class="tile-value"><span class="mark" aria-hidden="true">${mark}</span> ${value}</span>
    <span class="tile-label">${label}</span>
  </div>`;
}

export function summarySection(run: RunResult, anchors: Anchors): VNode {
  const s = run.summary;
  const points = pointsOf(allChecks(run));
  return html`<section class="summary" aria-labelledby="summary-title">
    <h2 id="summary-title">Summary</h2>
    <div class="tiles">
      ${tile('s-pass', STATUS_MARK.pass, String(s.passed), 'passed')}
      ${tile('s-fail', STATUS_MARK.fail, String(s.failed), 'failed')}
      ${tile('s-error', STATUS_MARK.error, String(s.errored), s.errored === 1 ? 'error' : 'errors')}
      ${tile('s-skip', STATUS_MARK.skip, String(s.skipped), 'skipped')}
      ${s.flaky ? tile('t-flaky', '≈', String(s.flaky), 'flaky') : null}
      ${points ? tile('t-points', '★', `${points.earned}/${points.max}`, 'points') : null}
    </div>
    ${run.suites.length ? suiteTable(run.suites, anchors) : html`<p class="empty">No check has finished yet.</p>`}
    ${attention(run, anchors)}
  </section>`;
}

function suiteTable(suites: SuiteResult[], anchors: Anchors): VNode {
  const graded = suites.some((s) => pointsOf(s.checks));
  return html`<div class="table-wrap">
    <table class="suites">
      <caption class="visually-hidden">Results per suite</caption>
      <thead>
        <tr>
          <th scope="col">Suite</th>
          <th scope="col">Result</th>
          <th scope="col" class="num">Checks</th>
          <th scope="col" class="num"><span aria-hidden="true">${STATUS_MARK.pass} </span>Passed</th>
          <th scope="col" class="num"><span aria-hidden="true">${STATUS_MARK.fail} </span>Failed</th>
          <th scope="col" class="num"><span aria-hidden="true">${STATUS_MARK.error} </span>Errors</th>
          <th scope="col" class="num"><span aria-hidden="true">${STATUS_MARK.skip} </span>Skipped</th>
          ${graded ? html`<th scope="col" class="num">Points</th>` : null}
          <th scope="col" class="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        ${suites.map((suite) => {
          const c = summarize([suite]);
          const p = pointsOf(suite.checks);
          return html`<tr data-suite=${suite.name}>
            <th scope="row"><a href=${`#${anchors.suite(suite)}`}>${suite.name}</a></th>
            <td>${statusBadge(suite.status)}</td>
            <td class="num">${c.total}</td>
            <td class=${c.passed ? 'num n-pass' : 'num zero'}>${c.passed}</td>
            <td class=${c.failed ? 'num n-fail' : 'num zero'}>${c.failed}</td>
            <td class=${c.errored ? 'num n-error' : 'num zero'}>${c.errored}</td>
            <td class=${c.skipped ? 'num n-skip' : 'num zero'}>${c.skipped}</td>
            ${graded ? html`<td class="num">${p ? `${p.earned}/${p.max}` : '–'}</td>` : null}
            <td class="num">${formatDuration(suite.durationMs)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function attention(run: RunResult, anchors: Anchors): VNode | null {
  const bad = allChecks(run).filter((c) => c.status === 'fail' || c.status === 'error');
  const suiteErrors = run.suites.filter((s) => s.errors.length > 0);
  if (bad.length === 0 && suiteErrors.length === 0) return null;
  return html`<div class="attention">
    <h3>Needs attention</h3>
    <ul>
      ${suiteErrors.map(
        (s) => html`<li>${statusBadge('error')} <a href=${`#${anchors.suite(s)}`}>suite ${s.name}</a>: ${oneLine(s.errors[0] ?? '')}${s.errors.length > 1 ? ` (and ${s.errors.length - 1} more)` : ''}</li>`,
      )}
      ${bad.map(
        (c) => html`<li>${statusBadge(c.status)} <a href=${`#${anchors.check(c)}`}>${c.suite} / ${c.name}</a>: ${oneLine(c.reason)}${c.points ? html` <span class="points">${pointsText(c.points)}</span>` : null}</li>`,
      )}
    </ul>
  </div>`;
}
