// How a status is shown: always a symbol and a word beside its colour, so the page
// reads the same in greyscale, in print and to a screen reader.
import type { Status } from '../../results/model.ts';
import { html } from './markup.ts';
import type { VNode } from './markup.ts';

export const STATUS_MARK: Record<Status, string> = { pass: '✓', fail: '✗', error: '!', skip: '–' };
export const STATUS_WORD: Record<Status, string> = { pass: 'passed', fail: 'failed', error: 'error', skip: 'skipped' };

export function statusBadge(status: Status, word: string = STATUS_WORD[status]): VNode {
  return html`<span class=${`badge s-${status}`}><span class="mark" aria-hidden="true">${STATUS_MARK[status]}</span> ${word}</span>`;
}

export function flakyBadge(): VNode {
  return html`<span class="badge flaky" title="failed, then passed on a retry"><span class="mark" aria-hidden="true">≈</span> flaky</span>`;
}
