import { describe, expect, it } from 'vitest';
import { compileRegex, hasNoncePlaceholder, judgeJson, judgeRegexes, withNonce } from './output-expect.ts';
import { jsonPath, parseJsonPath } from './json-path.ts';

describe('jsonPath', () => {
  const doc = { status: { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }] }, metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, zero: 0 };
  it('follows keys, indexes and quoted keys', () => {
    expect(jsonPath(doc, '$.status.phase')).toEqual({ found: true, value: 'Running' });
    expect(jsonPath(doc, '$.status.podIPs[0].ip')).toEqual({ found: true, value: '10.244.1.5' });
    expect(jsonPath(doc, "$.metadata.labels['app.kubernetes.io/name']")).toEqual({ found: true, value: 'web' });
    expect(jsonPath(doc, '.zero')).toEqual({ found: true, value: 0 });
    expect(jsonPath(doc, '$')).toEqual({ found: true, value: doc });
  });
  it('a missing step is "not found", not undefined-as-a-value', () => {
    expect(jsonPath(doc, '$.status.podIPs[3].ip')).toEqual({ found: false });
    expect(jsonPath(doc, '$.status.phase.x')).toEqual({ found: false });
  });
  it('says where a path is malformed', () => {
    expect(() => parseJsonPath('$.a[x]')).toThrow(`JSON path "$.a[x]": expected .key, [index] or ['key'] at "[x]"`);
  });
});

describe('regexes and JSON expectations', () => {
  it('replaces {{ nonce }} and matches line by line', () => {
    expect(withNonce('/echo?msg={{ nonce }}&x={{nonce}}', 'abc')).toBe('/echo?msg=abc&x=abc');
    expect(hasNoncePlaceholder('/echo?msg={{ nonce }}')).toBe(true);
    expect(hasNoncePlaceholder('/hostname')).toBe(false);
    expect(compileRegex('^b=1$', 'n').test('a=0\nb=1\nc=2')).toBe(true);
  });

  it('one assertion per regex, the miss quoting what was printed', () => {
    const as = judgeRegexes('stdout', 'ip_forward=1\nbridge-nf-call-iptables=missing\n', ['^ip_forward=1$', '^bridge-nf-call-iptables=1$'], 'n');
    expect(as).toEqual([
      { name: 'stdout matches /^ip_forward=1$/', passed: true },
      { name: 'stdout matches /^bridge-nf-call-iptables=1$/', passed: false, message: 'got "ip_forward=1 bridge-nf-call-iptables=missing"' },
    ]);
  });

  it('JSON paths: equals (by value, nonce filled), regex, exists; non-JSON fails each', () => {
    const body = JSON.stringify({ output: 'kconform-abc', code: 200, list: [1, 2] });
    const as = judgeJson('body', body, [
      { path: '$.output', equals: 'kconform-{{ nonce }}' },
      { path: '$.code', equals: '200' },
      { path: '$.list', regex: '^\\[1,2\\]$' },
      { path: '$.error', exists: false },
      { path: '$.code', equals: 201 },
    ], 'abc');
    expect(as.map((a) => a.passed)).toEqual([true, true, true, true, false]);
    expect(as[4]).toEqual({ name: 'body $.code = 201', passed: false, message: 'got 200' });
    const bad = judgeJson('stdout', 'not json', [{ path: '$.a', exists: true }], 'n');
    expect(bad).toEqual([{ name: 'stdout $.a exists', passed: false, message: 'stdout is not JSON: "not json"' }]);
  });
});
