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
  why: {
    interrupted: boolean;
    /** The check's deadline ended it (or ended the wait it was in). */
    deadlineHit: boolean;
    timeoutMs: number;
    lastProgress?: string;
    /** What the evidence had already decided before the deadline (ctx.decide). */
    decided?: CheckOutcome;
    /** What the check's wait last saw when the deadline came. */
    lastSeen?: string;
  },
): Verdict {
  if ('outcome' in ended) return { status: ended.outcome.status, reason: oneLine(ended.outcome.reason) };
  const err = ended.error;
  if (why.interrupted) return { status: 'error', reason: 'interrupted before the check could decide' };
  if (why.deadlineHit) {
    // A deadline is not a verdict about the cluster: undecided (error), unless the
    // evidence had already decided the check before it came.
    if (why.decided && why.decided.status !== 'skip') {
      return { status: why.decided.status, reason: oneLine(`${why.decided.reason} (decided before the ${seconds(why.timeoutMs)} deadline ended the check)`) };
    }
    const seen = why.lastSeen ?? (err instanceof WaitTimeoutError || err instanceof AbortedError ? err.lastObserved : undefined);
    const last = [why.lastProgress ? `last step: ${why.lastProgress}` : '', seen ? `last seen: ${seen}` : ''].filter(Boolean).join('; ');
    return { status: 'error', reason: oneLine(`undecided: no verdict within the ${seconds(why.timeoutMs)} deadline; ${last || 'nothing observed yet'}`) };
  }
  if (err instanceof WaitTimeoutError) return { status: 'fail', reason: oneLine(err.message) };
  if (err instanceof AbortedError) {
    const last = why.lastProgress ? `; last step: ${why.lastProgress}` : '';
    return { status: 'error', reason: `stopped before a verdict${last}` };
  }
  if (err instanceof KubeApiError) return { status: 'error', reason: oneLine(err.message) };
  return { status: 'error', reason: oneLine(errorText(err)) };
}

/** 1000 -> "1s", 1500 -> "1.5s", 90000 -> "90s". */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** An error as text: "Name: message", without a bare "Error: " in front. */
export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 397)}...` : flat;
}
