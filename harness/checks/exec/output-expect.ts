// Judging command output and HTTP bodies: regexes (each one graded assertion),
// values found by JSON path, and the run nonce placeholder. Shared by the exec
// and http checks. Pure.
import type { Assertion } from '../../results/model.ts';
import type { JsonExpectation } from './spec.ts';
import { deepEqual, show } from '../assert/match.ts';
import { quoteAnswer } from '../common/probe-echo.ts';
import { jsonPath } from './json-path.ts';

const NONCE_PLACEHOLDER = /\{\{\s*nonce\s*\}\}/g;

/** `{{ nonce }}` replaced by the run's nonce. */
export function withNonce(text: string, nonce: string): string {
  return text.replace(NONCE_PLACEHOLDER, nonce);
}

export function hasNoncePlaceholder(text: string): boolean {
  return new RegExp(NONCE_PLACEHOLDER.source).test(text);
}

export function regexList(r: string | string[] | undefined): string[] {
  return r === undefined ? [] : Array.isArray(r) ? r : [r];
}

/** Multiline: `^` and `$` match at line boundaries, as authors of line-oriented output expect. */
export function compileRegex(pattern: string, nonce: string): RegExp {
  return new RegExp(withNonce(pattern, nonce), 'm');
}

/** One assertion per pattern: `<label> matches /p/`. */
export function judgeRegexes(label: string, text: string, patterns: string[], nonce: string): Assertion[] {
  return patterns.map((p) => {
    const passed = compileRegex(p, nonce).test(text);
    return { name: `${label} matches /${withNonce(p, nonce)}/`, passed, ...(passed ? {} : { message: `got ${quoteAnswer(text, 120)}` }) };
  });
}

/** One assertion per JSON expectation; text that is not JSON fails them all. */
export function judgeJson(label: string, text: string, expectations: JsonExpectation[], nonce: string): Assertion[] {
  let parsed: unknown;
  let parseError: string | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parseError = `${label} is not JSON: ${quoteAnswer(text, 80)}`;
  }
  return expectations.map((e) => {
    const equals = typeof e.equals === 'string' ? withNonce(e.equals, nonce) : e.equals;
    const what = equals !== undefined ? `= ${show(equals)}` : e.regex !== undefined ? `matches /${withNonce(e.regex, nonce)}/` : e.exists ? 'exists' : 'does not exist';
    const name = `${label} ${e.path} ${what}`;
    if (parseError) return { name, passed: false, message: parseError };
    const at = jsonPath(parsed, e.path);
    let passed: boolean;
    if (e.exists !== undefined && e.equals === undefined && e.regex === undefined) passed = at.found === e.exists;
    else if (!at.found) passed = false;
    else if (equals !== undefined) passed = deepEqual(equals, at.value);
    else passed = compileRegex(e.regex ?? '', nonce).test(typeof at.value === 'string' ? at.value : JSON.stringify(at.value));
    return { name, passed, ...(passed ? {} : { message: at.found ? `got ${show(at.value)}` : 'nothing there' }) };
  });
}

/** The first failed assertion as `name: message`, for reasons. */
export function firstFailure(assertions: Assertion[]): string | undefined {
  const f = assertions.find((a) => !a.passed);
  return f ? `${f.name}${f.message ? `: ${f.message}` : ''}` : undefined;
}
