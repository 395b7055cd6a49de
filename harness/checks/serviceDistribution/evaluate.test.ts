import { describe, expect, it } from 'vitest';
import type { Tally } from './answers.ts';
import { evaluateDistribution, type DistributionInput } from './evaluate.ts';

function tally(counts: number[], extra: Partial<Tally> = {}): Tally {
  const made = counts.reduce((a, b) => a + b, 0) + [...(extra.failed?.values() ?? [])].reduce((a, b) => a + b, 0) + [...(extra.invalid?.values() ?? [])].reduce((a, b) => a + b, 0);
  return { counts: new Map(counts.map((n, i) => [`sd-${i}`, n])), failed: new Map(), invalid: new Map(), made, ...extra };
}

const base = (t: Tally, over: Partial<DistributionInput> = {}): DistributionInput => ({ tally: t, requests: 300, alpha: 0.001, sessionAffinity: 'None', notInSlice: [], strangers: [], ...over });

describe('evaluateDistribution with the endpoints watched', () => {
  it('sets aside an endpoint that left mid-measurement, tests the ones that stayed and says so', () => {
    // sd-2 turned not Ready 1.2 s in: few answers, which alone would reject uniform.
    const v = evaluateDistribution(base(tally([140, 145, 15]), { changes: [{ endpoint: 'sd-2', change: 'left', atMs: 1_200 }] }));
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe("285/285 counted of 300 answered by 2 endpoints (sd-0 140, sd-1 145), chi-square p=0.77; sd-2 left the Service's ready endpoints at +1.2s of the measurement: excluded from the test (sd-2 15 answers set aside)");
  });

  it('sets aside connections refused while an endpoint left, and says so', () => {
    const v = evaluateDistribution(base(tally([150, 148, 1], { failed: new Map([['could not connect', 1]]) }), { changes: [{ endpoint: 'sd-2', change: 'left', atMs: 600 }] }));
    expect(v.ok).toBe(true);
    expect(v.summary).toContain('(sd-2 1 answers set aside, with 1 connection(s) refused or reset while it left)');
  });

  it('is undecided when fewer than two endpoints stayed', () => {
    const v = evaluateDistribution(base(tally([200, 90, 10]), { changes: [{ endpoint: 'sd-1', change: 'left', atMs: 500 }, { endpoint: 'sd-2', change: 'left', atMs: 300 }] }));
    expect(v.ok).toBe(false);
    expect(v.undecided).toMatch(/^only 1 endpoint stayed through the measurement; sd-1 left .* \+0\.5s.*: a distribution over fewer than 2 endpoints cannot be judged$/);
  });

  it('names a pod the Service also routes to, with what it answered', () => {
    const t = tally([100, 100, 100]);
    t.counts.set('intruder', 20);
    const v = evaluateDistribution(base(t, { strangers: ['intruder'] }));
    expect(v.problems[0]).toBe("pod intruder answered 20/300 but is not one of this check's endpoints: the Service routes to it too (its labels match the selector)");
  });
});

describe('evaluateDistribution', () => {
  it('passes an even spread and reports the p-value', () => {
    const v = evaluateDistribution(base(tally([98, 103, 99])));
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.chi?.statistic).toBeCloseTo(0.14, 10);
    expect(v.summary).toBe('300/300 answered by 3 endpoints (sd-0 98, sd-1 103, sd-2 99), chi-square p=0.93');
  });

  it('a 2:1:1 skew asks for a second sample, and fails when that one rejects too, with both samples in the reason', () => {
    const first = evaluateDistribution(base(tally([150, 75, 75])));
    expect(first).toMatchObject({ ok: false, needsConfirmation: true, problems: [] });
    const v = evaluateDistribution(base(tally([150, 75, 75]), { confirmation: tally([147, 80, 73]) }));
    expect(v.ok).toBe(false);
    expect(v.needsConfirmation).toBeUndefined();
    expect(v.problems).toEqual(['counts do not fit uniform, twice: sd-0 150, sd-1 75, sd-2 75 (chi-square 37.5, df 2, p=7.2e-9), then sd-0 147, sd-1 80, sd-2 73 (p=5.6e-8); each p < 0.032 = sqrt(alpha 0.001)']);
    expect(v.confirmationChi?.pValue).toBeLessThan(0.001);
  });

  it('a chance skew (75/129/96, p=6.1e-4, seen once in 14 busy runs) is dismissed by an even second sample, and said', () => {
    const v = evaluateDistribution(base(tally([75, 129, 96]), { confirmation: tally([98, 103, 99]) }));
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('300/300 answered by 3 endpoints (sd-0 75, sd-1 129, sd-2 96), chi-square p=6.1e-4; a second sample (sd-0 98, sd-1 103, sd-2 99, p=0.93) did not confirm the first one\'s skew: chance (each sample is judged at sqrt(alpha) = 0.032)');
  });

  it('a second sample with lost requests fails on those, whatever its counts', () => {
    const v = evaluateDistribution(base(tally([75, 129, 96]), { confirmation: tally([98, 103, 97], { failed: new Map([['connect timeout', 2]]) }) }));
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(['second sample: 2/300 requests got no valid answer: connect timeout x2']);
  });

  it('honours alpha (each sample at sqrt(alpha)): a mild skew passes at 0.001 and fails twice at 0.05', () => {
    // chi-square 6, p = exp(-3) = 0.0498: above sqrt(0.001) = 0.032, so no second sample
    expect(evaluateDistribution(base(tally([120, 90, 90])))).toMatchObject({ ok: true });
    expect(evaluateDistribution(base(tally([120, 90, 90]))).needsConfirmation).toBeUndefined();
    // below sqrt(0.05) = 0.22 in both samples
    expect(evaluateDistribution(base(tally([121, 90, 89]), { alpha: 0.05 })).needsConfirmation).toBe(true);
    expect(evaluateDistribution(base(tally([121, 90, 89]), { alpha: 0.05, confirmation: tally([118, 92, 90]) })).ok).toBe(false);
  });

  it('an endpoint that answered nothing fails at once, no second sample', () => {
    const v = evaluateDistribution(base(tally([150, 150, 0])));
    expect(v.needsConfirmation).toBeUndefined();
    expect(v.ok).toBe(false);
  });

  it('names an endpoint that never answered, and why when the EndpointSlice does not list it', () => {
    const v = evaluateDistribution(base(tally([152, 148, 0]), { notInSlice: ['sd-2'] }));
    expect(v.problems).toEqual(["endpoint sd-2 answered 0/300 (sd-0 152, sd-1 148); sd-2 is Ready but not in the Service's EndpointSlice (label mismatch?)"]);
  });

  it('names requests that got no answer and the endpoints this check did not create', () => {
    const v = evaluateDistribution(base(tally([75, 76, 74], { failed: new Map([['could not connect', 75]]) }), { strangers: ['sd-stray'] }));
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(['75/300 requests got no answer: could not connect x75; the Service also routes to sd-stray, not created by this check']);
  });

  it('fails a stub: no valid answer at all', () => {
    const v = evaluateDistribution(base(tally([0, 0, 0], { invalid: new Map([['not a netexec /shell answer: "ok"', 300]]) })));
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toBe('300/300 answers were not valid answers from an endpoint: not a netexec /shell answer: "ok" x300');
    expect(v.problems).toContain('endpoint sd-0 answered 0/300 (sd-1 0, sd-2 0)');
  });

  it('counts requests never made (time ran out)', () => {
    const v = evaluateDistribution(base({ ...tally([60, 60, 60]), made: 180 }));
    expect(v.problems).toEqual(['120/300 requests were not made (time ran out)']);
  });

  describe('sessionAffinity ClientIP', () => {
    it('passes when one endpoint answered everything', () => {
      const v = evaluateDistribution(base(tally([0, 300, 0]), { sessionAffinity: 'ClientIP' }));
      expect(v.ok).toBe(true);
      expect(v.summary).toBe('300/300 answered, all by sd-1 (sessionAffinity ClientIP)');
      expect(v.chi).toBeUndefined();
    });

    it('fails when answers came from more than one endpoint', () => {
      const v = evaluateDistribution(base(tally([100, 100, 100]), { sessionAffinity: 'ClientIP' }));
      expect(v.problems).toEqual(['sessionAffinity ClientIP: answers came from 3 endpoints (sd-0 100, sd-1 100, sd-2 100), expected one']);
    });

    it('fails when nothing answered', () => {
      const v = evaluateDistribution(base(tally([0, 0, 0], { failed: new Map([['timeout', 300]]) }), { sessionAffinity: 'ClientIP' }));
      expect(v.ok).toBe(false);
      expect(v.problems).toEqual(['300/300 requests got no answer: timeout x300']);
    });
  });
});
