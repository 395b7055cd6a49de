import { describe, expect, it } from 'vitest';
import { ConsoleReporter, headerLine, resolveConsoleMode } from './console.ts';
import { beginInfo, check, sampleRun, sampleSuite } from './testing/sample-run.ts';
import { FakeStream } from './testing/fake-stream.ts';
import { stripAnsi } from './format.ts';
import type { RunResult } from '../results/model.ts';

function play(reporter: ConsoleReporter, run: RunResult, maxAttempts = 3): void {
  reporter.onRunBegin(beginInfo(run, maxAttempts));
  for (const s of run.suites) {
    reporter.onSuiteBegin(s.name, s.namespace);
    for (const c of s.checks) {
      reporter.onCheckBegin(c.id);
      reporter.onCheckProgress(c.id, 'waiting for 3 pods');
      reporter.onCheckEnd(c);
    }
    reporter.onSuiteEnd(s);
  }
  reporter.onRunEnd(run);
}

function plainRun(run = sampleRun(), files: string[] = ['reports/junit.xml', 'reports/results.json']): FakeStream {
  const out = new FakeStream();
  const reporter = new ConsoleReporter({ mode: 'plain', stdout: out, stderr: new FakeStream(), evidenceDir: 'reports/evidence', reportFiles: () => files });
  play(reporter, run);
  return out;
}

// Column layout: 2 spaces, the name padded to the widest name (16 at most, here
// "serviceDistribution" cut to "serviceDistribu."), a space, the mark, the reason;
// the duration ends at column 80.
describe('console reporter, plain', () => {
  const out = plainRun();
  const lines = out.lines;

  it('prints the header with cluster, nodes, CNI, CRI and version', () => {
    expect(lines[0]).toBe('kconform 0.1.0  cluster kind/kconform-7f3a  3 nodes  calico  docker  v1.37.2');
    expect(lines[1]).toBe('suite net  ns kconform-net-r7f3a');
  });

  it('prints a pass with its reason and duration', () => {
    expect(lines[2]).toBe('  nodes            ✓ 3/3 Ready, runtime docker://, calico on 3/3 nodes      1.2s');
    expect(lines[2]).toHaveLength(80);
  });

  it('prints a flaky pass with the attempt that passed', () => {
    expect(lines[3]).toBe('  podNetwork       ✓ 9/9 pod pairs, 3/3 host->pod, no SNAT (flaky: passed on attempt 2/3)  6.8s');
  });

  it('prints a failure with its reason, evidence path and hint under the mark', () => {
    expect(lines.slice(4, 7)).toEqual([
      '  serviceDistribu. ✗ endpoint web-2 answered 0/300 (web-0 152, web-1 148) [0/2 pts]  4.1s',
      '                   evidence: reports/evidence/net/serviceDistribution/',
      '                   hint: web-2 is Ready but not in the EndpointSlice: label mismatch?',
    ]);
  });

  it('prints an error with "!" and its evidence path', () => {
    expect(lines.slice(7, 9)).toEqual([
      '  dns              ! error: could not create the client pod: quota exceeded  1.9s',
      '                   evidence: reports/evidence/net/dns/',
    ]);
  });

  it('prints a pass with points', () => {
    expect(lines[9]).toBe('  rollout          ✓ 0/1,412 requests failed, surge<=1 unavailable<=0, rev 1->2->3 [3/3 pts]  38s');
  });

  it('prints a skip with "-" and no duration', () => {
    expect(lines[10]).toBe('  eviction         - skipped: --read-only');
  });

  it('ends with the counts, the score and the report files', () => {
    expect(lines.slice(11)).toEqual([
      '6 checks: 3 passed, 1 failed, 1 errored, 1 skipped, 1 flaky in 1m12s',
      'score: 3/5 points',
      'reports/junit.xml  reports/results.json',
    ]);
  });

  it('writes no escape codes and no spinner frames', () => {
    expect(out.text).not.toContain('\u001b');
    expect(out.text).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(out.text).not.toContain('waiting for 3 pods');
  });

  it('keeps escape codes out even when a reason carries them', () => {
    const run = sampleRun({ suites: [{ ...sampleSuite(), checks: [check('nodes', { reason: '\u001b[31mred\u001b[0m\nsecond line' })] }] });
    const o = plainRun(run);
    expect(o.text).not.toContain('\u001b');
    expect(o.lines[2]).toMatch(/^ {2}nodes +✓ red second line +1\.2s$/);
  });

  it('says when the run was interrupted and how far it got', () => {
    const run = sampleRun({ interrupted: true });
    const o = new FakeStream();
    const r2 = new ConsoleReporter({ mode: 'plain', stdout: o });
    const info = beginInfo(run);
    // plan had 8 checks; 6 finished
    info.suites[0]?.checks.push({ id: 'net/x', name: 'x', kind: 'x' }, { id: 'net/y', name: 'y', kind: 'y' });
    r2.onRunBegin(info);
    r2.onRunEnd(run);
    expect(o.lines).toContain('interrupted: 6 of 8 checks finished');
  });

  it('prints no evidence line when evidence files are off, and a flaky pass without a known limit', () => {
    const o = new FakeStream();
    const r = new ConsoleReporter({ mode: 'plain', stdout: o });
    const run = sampleRun();
    play(r, run, 0);
    expect(o.text).not.toContain('evidence:');
    expect(o.text).toContain('(flaky: passed on attempt 2)');
    expect(o.lines.at(-1)).toBe('score: 3/5 points');
  });

  it('labels checks with their suite when several suites run', () => {
    const two = sampleRun({ suites: [sampleSuite(), { ...sampleSuite(), name: 'dns', namespace: 'kconform-dns-r7f3a', checks: [check('resolve', { suite: 'dns' })] }] });
    const o = plainRun(two);
    expect(o.lines).toContain('suite dns  ns kconform-dns-r7f3a');
    expect(o.text).toMatch(/\n {2}dns\/resolve +✓ ok +1\.2s\n/);
  });

  it('prints suite-level errors and harness log lines', () => {
    const o = new FakeStream();
    const r = new ConsoleReporter({ mode: 'plain', stdout: o });
    const run = sampleRun({ suites: [{ ...sampleSuite(), checks: [], errors: ['fixture web.yaml: apply failed'] }] });
    r.onRunBegin(beginInfo(run));
    r.onLog('creating cluster ........ 2m04s');
    r.onSuiteEnd(run.suites[0]!);
    expect(o.lines).toEqual([
      'kconform 0.1.0  cluster kind/kconform-7f3a  3 nodes  calico  docker  v1.37.2',
      '  creating cluster ........ 2m04s',
      '           ! suite net: fixture web.yaml: apply failed',
    ]);
  });

  it('sends errors to stderr', () => {
    const o = new FakeStream();
    const e = new FakeStream();
    const r = new ConsoleReporter({ mode: 'plain', stdout: o, stderr: e });
    r.onError('reporter junit failed in onRunEnd: cannot write reports/junit.xml');
    expect(e.lines).toEqual(['error: reporter junit failed in onRunEnd: cannot write reports/junit.xml']);
    expect(o.text).toBe('');
  });
});

describe('console reporter, fancy', () => {
  it('draws a spinner and colours on a terminal, with the same lines underneath', () => {
    const out = new FakeStream({ isTTY: true, columns: 100 });
    const reporter = new ConsoleReporter({ mode: 'fancy', stdout: out, stderr: new FakeStream(), evidenceDir: 'reports/evidence' });
    play(reporter, sampleRun());
    expect(out.text).toContain('\u001b[');
    expect(out.text).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/); // ora's frames
    expect(out.text).toContain('waiting for 3 pods');
    // Spinner frames are redrawn over on the same row; the final lines follow them.
    const plain = stripAnsi(out.text);
    expect(plain).toContain('  eviction         - skipped: --read-only\n');
    expect(plain).toMatch(/ {2}nodes +✓ 3\/3 Ready, runtime docker:\/\/, calico on 3\/3 nodes +1\.2s\n/);
    expect(plain).toContain('                   hint: web-2 is Ready but not in the EndpointSlice: label mismatch?\n');
    expect(plain).toContain('\n6 checks: 3 passed, 1 failed, 1 errored, 1 skipped, 1 flaky in 1m12s\n');
  });

  it('falls back to plain lines on a terminal that reports no width', () => {
    const out = new FakeStream({ isTTY: true, columns: 0 });
    const reporter = new ConsoleReporter({ mode: 'fancy', stdout: out });
    play(reporter, sampleRun());
    expect(out.text).not.toContain('\u001b');
    expect(out.lines).toContain('  eviction         - skipped: --read-only');
  });
});

describe('resolveConsoleMode', () => {
  it.each([
    ['fancy', true, {}, 'fancy'],
    ['fancy', false, {}, 'plain'],
    ['fancy', true, { CI: 'true' }, 'plain'],
    ['fancy', true, { CI: '1' }, 'plain'],
    ['fancy', true, { CI: 'false' }, 'fancy'],
    ['fancy', true, { NO_COLOR: '1' }, 'plain'],
    ['fancy', true, { NO_COLOR: '' }, 'fancy'],
    ['fancy', true, { TERM: 'dumb' }, 'plain'],
    ['plain', true, {}, 'plain'],
    ['silent', true, {}, 'silent'],
  ] as const)('%s on tty=%s with %j -> %s', (requested, isTTY, env, expected) => {
    expect(resolveConsoleMode(requested, { isTTY, env })).toBe(expected);
  });
});

describe('headerLine', () => {
  it('adds the v to a bare version and leaves unknown facts out', () => {
    expect(headerLine({ runId: 'r', suites: [], cluster: { name: 'lab', provider: 'kubeconfig', kubernetesVersion: '1.37.2', nodes: 1 } })).toBe(
      'kconform  cluster kubeconfig/lab  1 node  v1.37.2',
    );
  });
});
