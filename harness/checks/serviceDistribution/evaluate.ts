// Pure verdict of the distribution check. Without session affinity: every
// endpoint answered, every request got a valid answer, and the counts fit
// uniform. The fit is judged in two stages so that `alpha` stays the chance
// that a uniform cluster fails: a sample's chi-square "rejects" below
// sqrt(alpha); a rejecting sample is followed by a second, independent one
// (needsConfirmation), and the check fails only when both reject
// (sqrt(alpha)^2 = alpha under uniformity). A real skew persists and is caught
// twice; a chance one (one run in a thousand at alpha 0.001, more often seen
// beside a busy 2-core run) is not. With sessionAffinity ClientIP: every answer
// came from one endpoint.
import { chiSquareUniform, formatP, rejectsUniform, type ChiSquareResult } from './chisquare.ts';
import type { Tally } from './answers.ts';
import { changeWords, type EndpointChange } from './slice-watch.ts';

export interface DistributionInput {
  tally: Tally;
  /** Requests the check meant to make. */
  requests: number;
  alpha: number;
  sessionAffinity: 'None' | 'ClientIP';
  /** Our endpoint pods that are Ready but were never listed as ready endpoints of the Service. */
  notInSlice: string[];
  /** Ready endpoints of the Service that are not pods this check created. */
  strangers: string[];
  /** Endpoints that left or joined the Service during the measurement (watched): excluded from the test. */
  changes?: EndpointChange[];
  /** The second sample, taken when the first one's counts rejected uniformity (same endpoints, same number of requests). */
  confirmation?: Tally;
}

export interface DistributionVerdict {
  ok: boolean;
  /** The endpoints left after exclusions were too few to judge a distribution: undecided. */
  undecided?: string;
  problems: string[];
  chi?: ChiSquareResult;
  /** The first sample's counts reject uniformity at sqrt(alpha) and nothing else is wrong: take a second sample. */
  needsConfirmation?: boolean;
  /** The second sample's chi-square, when one was given. */
  confirmationChi?: ChiSquareResult;
  /** "web-0 152, web-1 148, web-2 0" */
  countsText: string;
  summary: string;
}

export function evaluateDistribution(input: DistributionInput): DistributionVerdict {
  const { tally, requests } = input;
  // An endpoint that left or joined mid-measurement had a share nobody can know:
  // its answers are set aside, and the rest is tested among the endpoints that stayed.
  const moved = [...new Set((input.changes ?? []).map((c) => c.endpoint))];
  const movedAnswers = moved.reduce((a, e) => a + (tally.counts.get(e) ?? 0), 0);
  const goneCount = ['could not connect', 'connection reset'].reduce((a, k) => a + (tally.failed.get(k) ?? 0), 0);
  const counts = [...tally.counts.entries()].filter(([e]) => !moved.includes(e) && !input.strangers.includes(e));
  const movedWords = moved.length
    ? `; ${(input.changes ?? []).map(changeWords).join(', ')}: excluded from the test (${moved.map((e) => `${e} ${tally.counts.get(e) ?? 0}`).join(', ')} answers set aside${goneCount > 0 ? `, with ${goneCount} connection(s) refused or reset while it left` : ''})`
    : '';
  const answered = counts.reduce((a, [, n]) => a + n, 0);
  const countsText = counts.map(([e, n]) => `${e} ${n}`).join(', ');
  const problems: string[] = [];
  // A connection refused or reset while an endpoint was leaving went to that endpoint
  // (refused before kube-proxy followed the EndpointSlice, reset as the pod stopped):
  // set aside with it, and named. Timeouts stay failures.
  const GONE = ['could not connect', 'connection reset'];
  const refusedAside = moved.length > 0 ? GONE.reduce((a, k) => a + (tally.failed.get(k) ?? 0), 0) : 0;
  const failed = new Map([...tally.failed].filter(([k]) => !(moved.length > 0 && GONE.includes(k))));
  const failedTotal = sum(failed);
  const invalidTotal = sum(tally.invalid);

  // Answers that are not an endpoint's echo (a stub, another server) come first: nothing else is meaningful then.
  if (invalidTotal > 0) {
    problems.push(`${invalidTotal}/${requests} answers were not valid answers from an endpoint: ${grouped(tally.invalid)}`);
  }
  // A pod the Service routes to that is not one of the check's endpoints is named with what it answered.
  for (const st of input.strangers) {
    const n = tally.counts.get(st) ?? 0;
    if (n > 0) problems.push(`pod ${st} answered ${n}/${requests} but is not one of this check's endpoints: the Service routes to it too (its labels match the selector)`);
  }
  if (input.sessionAffinity === 'ClientIP') {
    const answering = counts.filter(([, n]) => n > 0);
    if (answering.length > 1) problems.push(`sessionAffinity ClientIP: answers came from ${answering.length} endpoints (${countsText}), expected one`);
  } else {
    for (const [e] of counts.filter(([, c]) => c === 0)) {
      const others = counts.filter(([x]) => x !== e).map(([x, c]) => `${x} ${c}`).join(', ');
      const why = input.notInSlice.includes(e) ? `; ${e} is Ready but not in the Service's EndpointSlice (label mismatch?)` : '';
      problems.push(`endpoint ${e} answered 0/${requests} (${others})${why}`);
    }
  }
  if (failedTotal > 0) {
    const strangers = input.strangers.length > 0 ? `; the Service also routes to ${input.strangers.join(', ')}, not created by this check` : '';
    problems.push(`${failedTotal}/${requests} requests got no answer: ${grouped(failed)}${strangers}`);
  }
  const unsent = requests - tally.made;
  if (unsent > 0) problems.push(`${unsent}/${requests} requests were not made (time ran out)`);

  let chi: ChiSquareResult | undefined;
  let confirmationChi: ChiSquareResult | undefined;
  let needsConfirmation = false;
  let chance = '';
  const undecided =
    moved.length > 0 && input.sessionAffinity === 'None' && counts.length < 2
      ? `only ${counts.length} endpoint${counts.length === 1 ? '' : 's'} stayed through the measurement${movedWords}: a distribution over fewer than 2 endpoints cannot be judged`
      : undefined;
  if (input.sessionAffinity === 'None' && answered > 0 && counts.length >= 2) {
    chi = chiSquareUniform(counts.map(([, n]) => n));
    const stage = stageAlpha(input.alpha);
    // Zero-count endpoints are already named; the test adds what they cannot say.
    if (rejectsUniform(chi, stage) && counts.every(([, n]) => n > 0) && problems.length === 0) {
      const second = input.confirmation;
      if (!second) needsConfirmation = true;
      else {
        const again = counts.map(([e]) => second.counts.get(e) ?? 0);
        const againText = counts.map(([e], i) => `${e} ${again[i]}`).join(', ');
        // What the second sample lost, by cause (a cause named both as a failure and an invalid answer is summed, not overwritten).
        const lostBy = new Map<string, number>();
        for (const [k, n] of [...second.failed, ...second.invalid, ['not made (time ran out)', Math.max(0, requests - second.made)] as const]) if (n > 0) lostBy.set(k, (lostBy.get(k) ?? 0) + n);
        const lost = sum(lostBy);
        if (lost > 0) problems.push(`second sample: ${lost}/${requests} requests got no valid answer: ${grouped(lostBy)}`);
        confirmationChi = again.some((n) => n > 0) ? chiSquareUniform(again) : undefined;
        const p2 = confirmationChi ? formatP(confirmationChi.pValue) : 'n/a';
        if (!confirmationChi || rejectsUniform(confirmationChi, stage)) {
          problems.unshift(`counts do not fit uniform, twice: ${countsText} (chi-square ${chi.statistic.toFixed(1)}, df ${chi.degreesOfFreedom}, p=${formatP(chi.pValue)}), then ${againText} (p=${p2}); each p < ${formatP(stage)} = sqrt(alpha ${input.alpha})`);
        } else {
          chance = `; a second sample (${againText}, p=${p2}) did not confirm the first one's skew: chance (each sample is judged at sqrt(alpha) = ${formatP(stage)})`;
        }
      }
    }
  }

  const ok = problems.length === 0 && answered > 0 && !undecided && !needsConfirmation;
  if (answered === 0 && problems.length === 0) problems.push(`no request got an answer (${requests} made)`);
  // The verdict says what was excluded, pass or fail.
  if (movedWords && problems.length > 0) problems[problems.length - 1] += movedWords;
  const of = moved.length ? `${requests - movedAnswers - refusedAside} counted of ${requests}` : String(requests);
  const summary =
    input.sessionAffinity === 'ClientIP'
      ? `${answered}/${of} answered, all by ${counts.find(([, n]) => n > 0)?.[0] ?? 'nobody'} (sessionAffinity ClientIP)${movedWords}`
      : `${answered}/${of} answered by ${counts.length} endpoints (${countsText}), chi-square p=${formatP(chi?.pValue ?? Number.NaN)}${chance}${movedWords}`;
  return {
    ok,
    problems,
    ...(chi ? { chi } : {}),
    ...(confirmationChi ? { confirmationChi } : {}),
    ...(needsConfirmation ? { needsConfirmation } : {}),
    countsText,
    summary,
    ...(undecided ? { undecided } : {}),
  };
}

/** Each of the two samples is judged at sqrt(alpha): both reject a uniform cluster with probability alpha. */
export function stageAlpha(alpha: number): number {
  return Math.sqrt(alpha);
}

function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}

/** "timeout x12, could not connect x3" */
function grouped(m: Map<string, number>): string {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} x${n}`)
    .join(', ');
}
