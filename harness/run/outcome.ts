// Turns what a check attempt ended with (an outcome or a thrown error) into a
// status and a one-line reason.
import type { CheckOutcome } from '../checks/types.ts';
import { AbortedError, KubeApiError, WaitTimeoutError } from '../kube/errors.ts';
import type { Status } from '../results/model.ts';

export interface Verdict {
  status: Status;
  reason: string;
}

export function verdictOf(
  ended: { outcome: CheckOutcome } | { error: unknown },
  why: { interrupted: boolean; deadlineHit: boolean; timeoutMs: number; lastProgress?: string },
): Verdict {
  if ('outcome' in ended) return { status: ended.outcome.status, reason: oneLine(ended.outcome.reason) };
  const err = ended.error;
  if (why.interrupted) return { status: 'error', reason: 'interrupted before the check could decide' };
  if (err instanceof WaitTimeoutError) return { status: 'fail', reason: oneLine(err.message) };
  if (why.deadlineHit || err instanceof AbortedError) {
    const last = why.lastProgress ? `; last step: ${why.lastProgress}` : '';
    return { status: 'fail', reason: `timed out after ${Math.round(why.timeoutMs / 1000)}s${last}` };
  }
  if (err instanceof KubeApiError) return { status: 'error', reason: oneLine(err.message) };
  return { status: 'error', reason: oneLine(errorText(err)) };
}

/** An error as text: "Name: message", without a bare "Error: " in front. */
export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 397)}...` : flat;
}
