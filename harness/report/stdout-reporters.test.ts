import { describe, expect, it } from 'vitest';
import { check, sampleRun } from './testing/sample-run.ts';
import { githubAnnotations, parseReporterList, StdoutDocumentReporter, stdoutReporters } from './stdout-reporters.ts';
import { parseResults } from './json.ts';

describe('--reporter', () => {
  it('parses lists and names unknown entries; json and junit cannot share stdout', () => {
    expect(parseReporterList('json,github')).toEqual({ names: ['json', 'github'], bad: [], conflict: false });
    expect(parseReporterList('jsn').bad).toEqual(['jsn']);
    expect(parseReporterList('json,junit').conflict).toBe(true);
  });

  it('json prints the results document itself (parseable, redacted)', () => {
    let out = '';
    const run = sampleRun();
    new StdoutDocumentReporter('json', { write: (s: string) => (out += s) }).onRunEnd(run);
    expect(parseResults(out, 'stdout').summary).toEqual(run.summary);
  });

  it('github: an error per failed or errored check, a warning per flaky one, a notice with the counts; escaped', () => {
    const lines = githubAnnotations(sampleRun());
    expect(lines.filter((l) => l.startsWith('::error'))).toHaveLength(2);
    expect(lines.find((l) => l.includes('net/serviceDistribution'))).toMatch(/^::error file=suites\/net\.yaml,title=kconform net\/serviceDistribution::endpoint web-2 answered 0\/300 .*%0Ahint: web-2 is Ready/);
    expect(lines.find((l) => l.includes('net/dns'))).toContain('::could not decide: could not create the client pod');
    expect(lines.find((l) => l.startsWith('::warning'))).toContain('net/podNetwork::flaky: passed on attempt 2/2');
    expect(lines.at(-1)).toBe('::notice title=kconform::3 passed, 1 failed, 1 errored, 1 skipped, 1 flaky');
    const tricky = sampleRun({ suites: [{ name: 's', file: 'a,b:c.yaml', namespace: 'n', status: 'fail', durationMs: 1, errors: [], checks: [check('x', { suite: 's', status: 'fail', reason: '100% lost\r\nnext' })] }] });
    expect(githubAnnotations(tricky)[0]).toBe('::error file=a%2Cb%3Ac.yaml,title=kconform s/x::100%25 lost%0D%0Anext');
  });

  it('json with github: stdout keeps the one document, the annotations go to stderr', async () => {
    let out = '';
    let err = '';
    for (const r of stdoutReporters(['json', 'github'], { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) })) await r.onRunEnd?.(sampleRun());
    expect(parseResults(out, 'stdout').runId).toBe(sampleRun().runId);
    expect(err).toMatch(/^::error /m);
  });
});
