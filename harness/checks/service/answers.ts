// Judging one probe try: every transfer of it answered 200 and passed its own
// test (the echo of the nonce message, the server port, a backend's name). Pure.
import { curlFailure, type CurlTry } from '../common/probe-curl.ts';
import { echoProblem, quoteAnswer } from '../common/probe-echo.ts';

/** A test of one transfer's body: a problem in words, or undefined. */
export type BodyTest = (body: string) => string | undefined;

export function echoTest(expected: string): BodyTest {
  return (body) => echoProblem(body, expected);
}

export function equalsTest(what: string, expected: string): BodyTest {
  return (body) => (body.trim() === expected ? undefined : `${what} ${quoteAnswer(body)}, expected ${JSON.stringify(expected)}`);
}

export function oneOfTest(what: string, allowed: string[]): BodyTest {
  return (body) => (allowed.includes(body.trim()) ? undefined : `${what} ${quoteAnswer(body)}, not one of ${allowed.join(', ')}`);
}

/** The problem with a try (curl failure, HTTP status, a failed body test), or undefined when it passed. */
export function tryProblem(t: CurlTry | undefined, tests: BodyTest[]): string | undefined {
  if (!t) return 'no request was made';
  for (let i = 0; i < tests.length; i++) {
    const tr = t.transfers[i];
    if (!tr) return curlFailure(t.exitCode === 0 ? -1 : t.exitCode, t.error).words;
    if (tr.exitCode !== undefined && tr.exitCode !== 0) return curlFailure(tr.exitCode, t.error).words;
    if (tr.httpCode !== 200) return `HTTP ${tr.httpCode || 'no answer'}`;
    const p = tests[i]!(tr.body);
    if (p) return p;
  }
  if (t.exitCode !== 0) return curlFailure(t.exitCode, t.error).words;
  return undefined;
}
