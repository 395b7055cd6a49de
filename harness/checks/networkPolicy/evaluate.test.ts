import { describe, expect, it } from 'vitest';
import { judge, type StepResult } from './evaluate.ts';

const ok = (c: string): StepResult => ({ case: c, step: 'added', matched: true, enforcedMs: 700, rounds: 2, stepMs: 1200, mismatches: [], denies: 10, denied: 10 });

describe('judging a networkPolicy run', () => {
  it('passes when every table matched, with the slowest enforcement', () => {
    const v = judge([ok('a'), { ...ok('b'), enforcedMs: 1500 }], { enforcement: 'required', flowsPerTable: 96, skippedCases: 0 });
    expect(v).toEqual({ status: 'pass', reason: '2 table(s) of 96 flows each as expected; every change enforced within 1.5s', enforcement: 'enforced' });
  });

  const none: StepResult = {
    case: 'default-deny-ingress',
    step: 'added',
    matched: false,
    rounds: 6,
    stepMs: 10_500,
    mismatches: [{ flow: { from: 'y/a', to: 'x/a:80/TCP' }, expected: 'deny', got: 'allow' }],
    denies: 42,
    denied: 0,
  };

  it('says in one sentence that policy is not enforced when nothing was denied', () => {
    expect(judge([none], { enforcement: 'required', flowsPerTable: 96, skippedCases: 11 })).toEqual({
      status: 'fail',
      reason: 'NetworkPolicy is not enforced: 0 of 42 flows that policy denies were denied',
      enforcement: 'not enforced',
    });
    expect(judge([none], { enforcement: 'optional', flowsPerTable: 96, skippedCases: 11 }).status).toBe('skip');
  });

  it('still says not enforced when a few probes of denied flows got no answer (load), and names them as such', () => {
    // flannel at load ~40: 600 flows policy denies, 3 probes timed out and read as "deny".
    const strays: StepResult[] = Array.from({ length: 15 }, (_, i) => ({ ...none, case: `case-${i}`, denies: 40, denied: i < 3 ? 1 : 0 }));
    expect(judge(strays, { enforcement: 'optional', flowsPerTable: 96, skippedCases: 0 })).toEqual({
      status: 'skip',
      reason: 'NetworkPolicy is not enforced: 3 of 600 flows that policy denies were denied (so few that they are probes that got no answer, not a policy)',
      enforcement: 'not enforced',
    });
  });

  it('one node without its policy rules (about a third of the denied flows allowed) is a wrong table, not "not enforced"', () => {
    const third: StepResult = { ...none, case: 'default-deny-ingress', denies: 42, denied: 28 };
    const v = judge([third], { enforcement: 'optional', flowsPerTable: 96, skippedCases: 0 });
    expect(v.status).toBe('fail');
    expect(v.enforcement).toBe('enforced');
    expect(v.reason).toMatch(/^1 of 1 table\(s\) not as expected: default-deny-ingress: y\/a -> x\/a:80\/TCP expected deny, got allow$/);
  });

  it('names the mismatching cells when policy is enforced only in part', () => {
    const partial: StepResult = { ...none, case: 'allow-from-pod', denied: 40 };
    const v = judge([ok('a'), partial], { enforcement: 'optional', flowsPerTable: 96, skippedCases: 0 });
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('1 of 2 table(s) not as expected: allow-from-pod: y/a -> x/a:80/TCP expected deny, got allow');
  });
});
