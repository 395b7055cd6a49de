import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { renderJunit, SUITE_ERRORS_CASE } from './junit.ts';
import { check, sampleRun, sampleSuite } from './testing/sample-run.ts';
import type { RunResult } from '../results/model.ts';

const XSD = readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8');

interface Prop { name: string; value?: string }
interface Case {
  name: string;
  classname: string;
  time: string;
  properties?: { property: Prop[] };
  failure?: { message: string; type?: string; '#text'?: string };
  error?: { message: string; type?: string; '#text'?: string };
  skipped?: { message?: string } | string;
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  timestamp?: string;
  properties: { property: Prop[] };
  testcase: Case[];
}

function parse(xml: string): { testsuites: { testsuite: Suite[]; tests: string } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return parser.parse(xml);
}

function props(p: { property: Prop[] } | undefined): Record<string, string | undefined> {
  return Object.fromEntries((p?.property ?? []).map((x) => [x.name, x.value]));
}

async function expectSchemaValid(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] });
  expect(result.errors.map((e) => e.message)).toEqual([]);
  expect(result.valid).toBe(true);
}

describe('renderJunit', () => {
  const run = sampleRun();
  const xml = renderJunit(run);
  const doc = parse(xml);
  const suite = doc.testsuites.testsuite[0] as Suite;
  const byName = (n: string): Case => {
    const c = suite.testcase.find((x) => x.name === n);
    if (!c) throw new Error(`no testcase ${n}`);
    return c;
  };

  it('is valid against the JUnit schema', async () => {
    await expectSchemaValid(xml);
  });

  it('has one testsuite per suite and one testcase per check with a stable classname', () => {
    expect(doc.testsuites.testsuite).toHaveLength(1);
    expect(suite.name).toBe('net');
    expect(suite.testcase.map((c) => c.name)).toEqual(['nodes', 'podNetwork', 'serviceDistribution', 'dns', 'rollout', 'eviction']);
    for (const c of suite.testcase) expect(c.classname).toBe('kconform.net');
    expect([suite.tests, suite.failures, suite.errors, suite.skipped]).toEqual(['6', '1', '1', '1']);
    expect(suite.timestamp).toBe('2026-03-01T10:00:00');
  });

  it('gives times in seconds', () => {
    expect(byName('nodes').time).toBe('1.234');
    expect(byName('rollout').time).toBe('38');
    expect(suite.time).toBe('53.234');
  });

  it('puts the cluster facts and run id on the testsuite as properties', () => {
    expect(props(suite.properties)).toMatchObject({
      'cluster.name': 'kconform-7f3a',
      'cluster.provider': 'kind',
      'cluster.kubernetes.version': 'v1.37.2',
      'cluster.cni': 'calico',
      'cluster.cri': 'docker',
      'cluster.nodes': '3',
      'cluster.uid': 'a1b2c3',
      'kconform.run.id': 'r7f3a',
      'kconform.version': '0.1.0',
      'suite.namespace': 'kconform-net-r7f3a',
      'points.earned': '3',
      'points.max': '5',
    });
    expect(props(suite.properties)).not.toHaveProperty('interrupted');
  });

  it('leaves out cluster facts that are unknown', () => {
    const bare = sampleRun({ cluster: { name: 'lab', provider: 'kubeconfig' } });
    const s = parse(renderJunit(bare)).testsuites.testsuite[0] as Suite;
    const p = props(s.properties);
    expect(p['cluster.name']).toBe('lab');
    expect(p).not.toHaveProperty('cluster.cni');
    expect(p).not.toHaveProperty('cluster.nodes');
  });

  it('writes a failure with the one-line reason as message and the evidence as body', () => {
    const c = byName('serviceDistribution');
    expect(c.failure?.message).toBe('endpoint web-2 answered 0/300 (web-0 152, web-1 148)');
    expect(c.failure?.type).toBe('fail');
    const body = c.failure?.['#text'] ?? '';
    expect(body).toContain('hint: web-2 is Ready but not in the EndpointSlice: label mismatch?');
    expect(body).toContain('✗ every endpoint answered: web-2 answered 0 times');
    // counts as a grid with the statistics
    expect(body).toMatch(/\| web-2 \| 0 +\|/);
    expect(body).toContain('p-value 1.200e-33');
    // the matrix as an ASCII grid, failing cell named
    expect(body).toContain('| client-b  | 1ms      | ✗ timeout |');
    expect(body).toContain('client-b -> server-b: timeout (no answer in 5s)');
    // events, logs, object
    expect(body).toContain('| Warning | Unhealthy | Pod/web-2 | 3     | Readiness probe failed |');
    expect(body).toContain('=== logs: web-2 (pod web-2, container netexec) ===\nline 1\nline 2');
    expect(body).toContain('selector:\n    app: web');
    expect(c.error).toBeUndefined();
    expect(props(c.properties)).toMatchObject({ 'points.earned': '0', 'points.max': '2', hint: expect.stringContaining('label mismatch') });
  });

  it('writes an error for a check the harness could not decide', () => {
    const c = byName('dns');
    expect(c.error?.message).toBe('could not create the client pod: quota exceeded');
    expect(c.error?.type).toBe('error');
    expect(c.failure).toBeUndefined();
  });

  it('writes skipped with the reason as message', () => {
    const c = byName('eviction');
    expect(c.skipped).toEqual({ message: '--read-only' });
    expect(c.failure).toBeUndefined();
  });

  it('marks a flaky pass with properties and keeps the failed attempt as output', () => {
    const c = byName('podNetwork');
    expect(c.failure).toBeUndefined();
    expect(c.skipped).toBeUndefined();
    expect(props(c.properties)).toMatchObject({
      flaky: 'true',
      attempts: '2',
      'attempt.1': 'fail in 5.0s: client-b -> server-b timed out',
      'attempt.2': 'pass in 1.8s: 9/9 pod pairs',
    });
    expect(c['system-out']).toContain('client-b -> server-b: timeout');
  });

  it('a passing check has no failure, error or skipped element', () => {
    const c = byName('nodes');
    expect(c.failure ?? c.error ?? c.skipped).toBeUndefined();
    expect(props(c.properties)).toEqual({ kind: 'nodes' });
  });

  it('keeps text that would end a CDATA section, and drops terminal escapes', async () => {
    const tricky = sampleRun({
      suites: [
        {
          ...sampleSuite(),
          checks: [
            check('weird', {
              status: 'fail',
              reason: 'bad <tag> & "quotes" \u001b[31mred\u001b[0m',
              evidence: [{ kind: 'logs', title: 'x', pod: 'p', container: 'c', text: 'a ]]> b\n\u001b[32mgreen\u001b[0m\u0007bell' }],
            }),
          ],
        },
      ],
    });
    const out = renderJunit(tricky);
    await expectSchemaValid(out);
    const c = (parse(out).testsuites.testsuite[0] as Suite).testcase[0] as Case;
    expect(c.failure?.message).toBe('bad <tag> & "quotes" red');
    expect(c.failure?.['#text']).toContain('a ]]> b\ngreen');
    expect(out).not.toContain('\u001b');
  });

  it('keeps only the tail of long logs in the body', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `log line ${i}`).join('\n');
    const long = sampleRun({
      suites: [{ ...sampleSuite(), checks: [check('big', { status: 'fail', evidence: [{ kind: 'logs', title: 'big', pod: 'p', container: 'c', text: lines }] })] }],
    });
    const body = ((parse(renderJunit(long)).testsuites.testsuite[0] as Suite).testcase[0] as Case).failure?.['#text'] ?? '';
    expect(body).toContain('(last 200 of 1000 lines)');
    expect(body).toContain('log line 999');
    expect(body).not.toContain('log line 799\n');
  });

  it('reports suite-level errors as an extra errored testcase', async () => {
    const withErrors: RunResult = sampleRun({
      suites: [{ ...sampleSuite(), errors: ['fixture web.yaml: apply failed: admission webhook denied', 'cleanup: namespace stuck'] }],
    });
    const out = renderJunit(withErrors);
    await expectSchemaValid(out);
    const s = parse(out).testsuites.testsuite[0] as Suite;
    const c = s.testcase.find((x) => x.name === SUITE_ERRORS_CASE);
    expect(c?.error?.message).toBe('fixture web.yaml: apply failed: admission webhook denied');
    expect(c?.error?.['#text']).toContain('cleanup: namespace stuck');
    expect(s.errors).toBe('2');
  });

  it('marks an interrupted run on every testsuite', () => {
    const s = parse(renderJunit(sampleRun({ interrupted: true }))).testsuites.testsuite[0] as Suite;
    expect(props(s.properties).interrupted).toBe('true');
  });

  it('names the check run of a --rerun-failed result', () => {
    const rerun = sampleRun({ suites: [{ ...sampleSuite(), checks: [check('nodes', { runId: 'older' })] }] });
    const c = (parse(renderJunit(rerun)).testsuites.testsuite[0] as Suite).testcase[0] as Case;
    expect(props(c.properties)['run.id']).toBe('older');
  });

  it('renders several suites, each with its classname', async () => {
    const two = sampleRun({ suites: [sampleSuite(), { ...sampleSuite(), name: 'dns-suite', checks: [check('a', { suite: 'dns-suite' })] }] });
    const out = renderJunit(two);
    await expectSchemaValid(out);
    const suites = parse(out).testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(['net', 'dns-suite']);
    expect(suites[1]?.testcase[0]?.classname).toBe('kconform.dns-suite');
  });

  it('the schema check itself rejects what CI tools would not read', async () => {
    const broken = xml.replace('<testcase classname="kconform.net" name="nodes"', '<testcase name="nodes"').replace('<skipped message="--read-only"/>', '<skipped/>');
    const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: broken }], schema: [XSD] });
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/classname/);
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/message/);
  });
});
