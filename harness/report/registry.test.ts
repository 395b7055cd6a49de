import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReporters } from './registry.ts';
import { parseResults } from './json.ts';
import { beginInfo, sampleRun } from './testing/sample-run.ts';
import { FakeStream } from './testing/fake-stream.ts';
import type { ReporterMultiplexer } from './multiplexer.ts';

async function playRun(reporter: ReporterMultiplexer): Promise<void> {
  const run = sampleRun();
  reporter.onRunBegin(beginInfo(run));
  for (const s of run.suites) {
    reporter.onSuiteBegin(s.name, s.namespace);
    for (const c of s.checks) {
      reporter.onCheckBegin(c.id);
      reporter.onCheckEnd(c);
    }
    reporter.onSuiteEnd(s);
  }
  await reporter.onRunEnd(run);
}

describe('createReporters', () => {
  it('builds evidence, junit, json and console reporters, the console last', () => {
    const r = createReporters({ junit: 'r/junit.xml', json: 'r/results.json', console: 'plain', evidenceDir: 'r/evidence', stdout: new FakeStream() });
    expect(r.reporters.map((x) => x.name)).toEqual(['evidence', 'junit', 'json', 'console']);
    expect(r.printsToStdio).toBe(true);
  });

  it('leaves out what is turned off', () => {
    const r = createReporters({ junit: false, json: 'r/results.json', html: 'r/index.html', console: 'silent' });
    expect(r.reporters.map((x) => x.name)).toEqual(['json', 'html']);
    expect(r.printsToStdio).toBe(false);
  });

  it('writes every report of a run and lists the files written on the last line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-reg-'));
    const out = new FakeStream();
    const reporter = createReporters({
      junit: join(dir, 'junit.xml'),
      json: join(dir, 'results.json'),
      html: join(dir, 'index.html'),
      console: 'fancy', // not a terminal: falls back to plain
      evidenceDir: join(dir, 'evidence'),
      stdout: out,
      stderr: new FakeStream(),
      env: {},
    });
    await playRun(reporter);
    expect(out.text).not.toContain('\u001b');
    expect(out.lines.at(-1)).toBe(`${join(dir, 'junit.xml')}  ${join(dir, 'results.json')}  ${join(dir, 'index.html')}`);
    expect(out.lines).toContain(`                   evidence: ${join(dir, 'evidence')}/net/serviceDistribution/`);
    expect((await stat(join(dir, 'evidence', 'net', 'serviceDistribution', 'summary.txt'))).isFile()).toBe(true);
    expect(parseResults(await readFile(join(dir, 'results.json'), 'utf8'), 'results.json').summary.total).toBe(6);
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('classname="kconform.net"');
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('<h1>kconform report');
  });

  it('shows a report that could not be written as an error line and leaves it off the list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-reg-'));
    const out = new FakeStream();
    const err = new FakeStream();
    const blocked = join('/proc', 'kconform-cannot-write-here', 'junit.xml');
    const reporter = createReporters({ junit: blocked, json: join(dir, 'results.json'), console: 'plain', stdout: out, stderr: err });
    await playRun(reporter);
    expect(err.lines.length).toBeGreaterThanOrEqual(1);
    expect(err.lines.every((l) => l.startsWith(`error: reporter junit failed in `) && l.includes(`cannot write ${blocked}`))).toBe(true);
    expect(err.lines.at(-1)).toMatch(/failed in onRunEnd/);
    expect(out.lines.at(-1)).toBe(join(dir, 'results.json'));
  });

  it('without a console, reporter errors still reach stderr', async () => {
    const err = new FakeStream();
    const reporter = createReporters({ json: join('/proc', 'kconform-no', 'results.json'), console: 'silent', stderr: err });
    await playRun(reporter);
    expect(err.lines.at(-1)).toMatch(/^kconform: error: reporter json failed in onRunEnd: cannot write /);
  });
});
