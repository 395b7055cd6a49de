// Power of the serviceDistribution check, by simulation (no cluster): for each
// number of requests M, 100 seeded runs of M connections over 3 endpoints
// weighted 2:1:1 are judged by the check's own decision (evaluateDistribution,
// alpha 0.001, a second sample of M drawn when the first asks for one, as the
// check does); the smallest M that fails >= 95 of 100 runs is the answer.
// Also the false-alarm rate on a fair 1:1:1 spread at the default M = 300, and
// how often a second sample was needed there.
//
//   npx node bench/network-power.ts [--runs 100] [--alpha 0.001] [--seed 42]
import { parseArgs } from 'node:util';
import type { Tally } from '../harness/checks/serviceDistribution/answers.ts';
import { evaluateDistribution } from '../harness/checks/serviceDistribution/evaluate.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    alpha: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '42' },
  },
});
const RUNS = Number(values.runs);
const ALPHA = Number(values.alpha);
const SEED = Number(values.seed);
const SKEW = [0.5, 0.25, 0.25];
const FAIR = [1 / 3, 1 / 3, 1 / 3];

/**
 * mulberry32: a small, well-studied 32-bit seeded generator (uniform in [0, 1)).
 * Written out because the bench only needs reproducible uniforms, not a library.
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** M connections, each to an endpoint drawn with probabilities `p`. */
function simulate(rand: () => number, m: number, p: number[]): number[] {
  const counts = p.map(() => 0);
  for (let i = 0; i < m; i++) {
    let u = rand();
    let k = 0;
    while (k < p.length - 1 && u >= p[k]!) u -= p[k++]!;
    counts[k]!++;
  }
  return counts;
}

const asTally = (counts: number[], m: number): Tally => ({ counts: new Map(counts.map((n, i) => [`ep-${i}`, n])), failed: new Map(), invalid: new Map(), made: m });
let secondSamples = 0;

/** Does the check fail this run (both samples reject, or an endpoint got nothing)? */
function detects(rand: () => number, m: number, p: number[]): boolean {
  const input = { tally: asTally(simulate(rand, m, p), m), requests: m, alpha: ALPHA, sessionAffinity: 'None' as const, notInSlice: [], strangers: [] };
  const first = evaluateDistribution(input);
  if (!first.needsConfirmation) return !first.ok;
  secondSamples++;
  return !evaluateDistribution({ ...input, confirmation: asTally(simulate(rand, m, p), m) }).ok;
}

function detectionRate(m: number, p: number[], runs: number, seed: number): number {
  const rand = mulberry32(seed);
  let n = 0;
  for (let r = 0; r < runs; r++) if (detects(rand, m, p)) n++;
  return n;
}

const t0 = performance.now();
process.stdout.write(`serviceDistribution power: 3 endpoints weighted 2:1:1, alpha ${ALPHA}, ${RUNS} runs per M, seed ${SEED}\n\n`);
process.stdout.write('     M  detected\n');
let smallest: number | undefined;
for (let m = 30; m <= 400; m += 10) {
  const hits = detectionRate(m, SKEW, RUNS, SEED + m);
  const mark = hits >= 0.95 * RUNS ? ' *' : '';
  process.stdout.write(`${String(m).padStart(6)}  ${String(hits).padStart(4)}/${RUNS}${mark}\n`);
  // The smallest M from which every larger M in the table also detects >= 95%.
  if (hits >= 0.95 * RUNS) smallest ??= m;
  else smallest = undefined;
}
const FALSE_RUNS = 100 * RUNS;
secondSamples = 0;
const falseAlarms = detectionRate(300, FAIR, FALSE_RUNS, SEED);
process.stdout.write(`\nsmallest M detecting 2:1:1 in >= 95% of runs (and every M above it, up to 400): ${smallest ?? 'none up to 400'}\n`);
process.stdout.write(`false alarms on a fair 1:1:1 spread, M = 300: ${falseAlarms}/${FALSE_RUNS} (alpha ${ALPHA}); a second sample taken in ${secondSamples}/${FALSE_RUNS} runs\n`);
process.stdout.write(`(${((performance.now() - t0) / 1000).toFixed(1)}s)\n`);
