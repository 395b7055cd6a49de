// Judges the steps of a networkPolicy run: every table as expected (pass), no
// denied flow at all (NetworkPolicy not enforced: fail, or skip when the suite
// marks enforcement optional), or named mismatching cells (fail). Pure.
import { describeMismatch, type Mismatch } from './spec/model.ts';

export interface StepResult {
  case: string;
  step: string;
  matched: boolean;
  /** From the change to the end of the first round that matched. */
  enforcedMs?: number;
  rounds: number;
  /** Wall time of the step: apply, probe rounds until judged. */
  stepMs: number;
  mismatches: Mismatch[];
  /** Flows the expected table denies, and how many of them were denied in the last round. */
  denies: number;
  denied: number;
}

export interface Verdict {
  status: 'pass' | 'fail' | 'skip';
  reason: string;
  enforcement: 'enforced' | 'not enforced';
}

const MAX_NAMED = 3;

/**
 * At most this share of the flows policy denies may be denied for the cluster
 * still to count as not enforcing: under load a probe of an allowed flow can
 * time out, and on a CNI without NetworkPolicy that reads as a "deny" (seen on
 * flannel at load ~40 with checks side by side: 16 tables "wrong" instead of one
 * sentence). A CNI that enforces denies nearly all of them, and one node's rules
 * removed still leaves about two thirds denied.
 */
export const NOT_ENFORCED_MAX_SHARE = 0.05;

export function notEnforced(results: StepResult[]): { denies: number; denied: number } | undefined {
  const judged = results.filter((r) => r.denies > 0);
  const denies = judged.reduce((n, r) => n + r.denies, 0);
  const denied = judged.reduce((n, r) => n + r.denied, 0);
  return denies > 0 && denied <= denies * NOT_ENFORCED_MAX_SHARE ? { denies, denied } : undefined;
}

export function notEnforcedSentence(c: { denies: number; denied: number }): string {
  const strays = c.denied > 0 ? ` (so few that they are probes that got no answer, not a policy)` : '';
  return `NetworkPolicy is not enforced: ${c.denied} of ${c.denies} flows that policy denies were denied${strays}`;
}

export function judge(results: StepResult[], o: { enforcement: 'required' | 'optional'; flowsPerTable: number; skippedCases: number }): Verdict {
  const ne = notEnforced(results);
  if (ne) {
    const sentence = notEnforcedSentence(ne);
    return { status: o.enforcement === 'optional' ? 'skip' : 'fail', reason: sentence, enforcement: 'not enforced' };
  }
  const bad = results.filter((r) => !r.matched);
  const times = results.filter((r) => r.enforcedMs !== undefined).map((r) => r.enforcedMs!);
  const slowest = times.length ? Math.max(...times) : 0;
  if (bad.length === 0) {
    return {
      status: 'pass',
      reason: `${results.length} table(s) of ${o.flowsPerTable} flows each as expected; every change enforced within ${(slowest / 1000).toFixed(1)}s`,
      enforcement: 'enforced',
    };
  }
  const named = bad.flatMap((r) => r.mismatches.map((m) => `${r.case}${r.step === 'added' ? '' : ` (${r.step})`}: ${describeMismatch(m)}`));
  const more = named.length - MAX_NAMED;
  return {
    status: 'fail',
    reason: `${bad.length} of ${results.length} table(s) not as expected: ${named.slice(0, MAX_NAMED).join('; ')}${more > 0 ? ` (+${more} more cells)` : ''}`,
    enforcement: 'enforced',
  };
}
