// How long an assert, exec or http check gives the cluster to come right: its
// `wait` (30 s by default), capped by the run's --max-wait and by the check's
// deadline less a margin for the verdict.
import { parseDuration } from '../../suite/common.ts';
import type { CheckContext } from '../types.ts';

export const DEFAULT_WAIT_MS = 30_000;
export const VERDICT_MARGIN_MS = 3_000;

export function waitBudgetMs(wait: string | undefined, ctx: Pick<CheckContext, 'remainingMs' | 'maxWaitMs'>): number {
  const asked = wait ? parseDuration(wait) : DEFAULT_WAIT_MS;
  return Math.min(asked, ctx.maxWaitMs ?? Infinity, ctx.remainingMs() - VERDICT_MARGIN_MS);
}
