// One check as a card: status, name, duration and points on the first line; then
// the reason, the hint, the graded assertions, every attempt when there was more
// than one (a flaky pass is shown, never hidden), and the evidence.
import type { Assertion, Attempt, CheckResult } from '../../results/model.ts';
import { formatDuration, oneLine } from '../format.ts';
import { evidenceList } from './evidence.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';
import { flakyBadge, STATUS_MARK, statusBadge } from './status.ts';

export function pointsText(points: { earned: number; max: number }): string {
  return `${points.earned}/${points.max} ${points.max === 1 ? 'point' : 'points'}`;
}

export function checkCard(c: CheckResult, anchor: string): VNode {
  const kindNote = c.kind !== c.name ? html`<span class="check-kind">${c.kind}</span>` : null;
  return html`<article class=${`check s-${c.status}`} id=${anchor} data-status=${c.status} data-check=${c.id}>
    <header class="check-head">
      <h3>${statusBadge(c.status)} <span class="check-name">${c.name}</span> ${kindNote}</h3>
      <div class="check-meta">
        ${c.flaky ? flakyBadge() : null}
        ${c.points ? html`<span class=${c.points.earned >= c.points.max ? 'points full' : 'points'}>${pointsText(c.points)}</span>` : null}
        <span class="duration" title="duration">${formatDuration(c.durationMs)}</span>
      </div>
    </header>
    <p class="reason">${oneLine(c.reason) || '(no reason given)'}</p>
    ${c.hint ? html`<p class="hint"><strong>Hint:</strong> ${c.hint}</p>` : null}
    ${assertionList(c.assertions)}
    ${attemptList(c)}
    ${evidenceList(c.evidence, 4)}
  </article>`;
}

function assertionList(assertions: Assertion[]): VNode | null {
  if (assertions.length === 0) return null;
  return html`<ul class="assertions" aria-label="assertions">
    ${assertions.map(
      (a) => html`<li class=${a.passed ? 'ok' : 'bad'}>
        <span class="mark" aria-hidden="true">${a.passed ? STATUS_MARK.pass : STATUS_MARK.fail}</span> <span class="visually-hidden">${a.passed ? 'passed: ' : 'failed: '}</span><span class="a-name">${a.name}</span>${a.message ? html`<span class="a-msg">: ${a.message}</span>` : null}
        ${a.points !== undefined ? html` <span class="a-points">${a.points} ${a.points === 1 ? 'pt' : 'pts'}</span>` : null}
      </li>`,
    )}
  </ul>`;
}

function attemptList(c: CheckResult): VNode | null {
  if (c.attempts.length < 2 && !c.flaky) return null;
  return html`<section class="attempts">
    <h4>Attempts (${c.attempts.length})</h4>
    <ol>
      ${c.attempts.map((a) => attemptItem(a))}
    </ol>
  </section>`;
}

function attemptItem(a: Attempt): VNode {
  return html`<li class=${`attempt s-${a.status}`} data-attempt=${a.attempt}>
    <span class="attempt-no">#${a.attempt}</span> ${statusBadge(a.status)}
    <span class="duration">${formatDuration(a.durationMs)}</span>
    <span class="attempt-reason">${oneLine(a.reason)}</span>
    ${a.evidence.length
      ? html`<details class="attempt-evidence">
          <summary>evidence of attempt ${a.attempt} (${a.evidence.length})</summary>
          ${evidenceList(a.evidence, 5)}
        </details>`
      : null}
  </li>`;
}
