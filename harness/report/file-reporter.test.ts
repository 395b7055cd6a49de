import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonReporter } from './json.ts';
import { JunitReporter } from './junit.ts';
import { parseResults } from './json.ts';
import { beginInfo, sampleRun } from './testing/sample-run.ts';

describe('file reporters while the run goes on', () => {
  it('keep what finished so far on disk, marked interrupted, then the final result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-fr-'));
    const run = sampleRun();
    const json = new JsonReporter({ outputFile: join(dir, 'results.json') });
    const junit = new JunitReporter({ outputFile: join(dir, 'junit.xml') });
    const [first, second] = run.suites[0]!.checks;
    for (const r of [json, junit]) {
      r.onRunBegin(beginInfo(run));
      r.onSuiteBegin('net', 'kconform-net-r7f3a');
      await r.onCheckEnd(first!);
      await r.onCheckEnd(second!);
    }
    // As if the process were killed here: the files hold the two finished checks, and
    // every other planned check as skipped, "interrupted".
    const partial = parseResults(await readFile(join(dir, 'results.json'), 'utf8'), 'results.json');
    expect(partial.interrupted).toBe(true);
    const planned = run.suites[0]!.checks.length;
    expect(partial.suites[0]?.checks.map((c) => c.name)).toEqual(run.suites[0]!.checks.map((c) => c.name));
    expect(partial.suites[0]?.checks.slice(0, 2).map((c) => c.status)).toEqual([first!.status, second!.status]);
    expect(partial.suites[0]?.checks.slice(2).every((c) => c.status === 'skip' && c.reason.startsWith('interrupted'))).toBe(true);
    expect(partial.summary.total).toBe(planned);
    expect(partial.summary.skipped).toBe(planned - 2 + [first!, second!].filter((c) => c.status === 'skip').length);
    expect(partial.suites[0]?.namespace).toBe('kconform-net-r7f3a');
    const partialXml = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(partialXml).toContain('<property name="interrupted" value="true"/>');
    expect(partialXml.match(/<testcase /g)).toHaveLength(planned);
    expect(partialXml.match(/<skipped message="interrupted: the run stopped before this check started"\/>/g)).toHaveLength(planned - 2);

    for (const r of [json, junit]) await r.onRunEnd(run);
    const final = parseResults(await readFile(join(dir, 'results.json'), 'utf8'), 'results.json');
    expect(final).toEqual(run);
    expect((await readFile(join(dir, 'junit.xml'), 'utf8')).match(/<testcase /g)).toHaveLength(6);
  });

  it('tell a failing write once while the run goes on, and again at the end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-fr-'));
    await writeFile(join(dir, 'blocker'), '');
    const run = sampleRun();
    const json = new JsonReporter({ outputFile: join(dir, 'blocker', 'results.json') });
    json.onRunBegin(beginInfo(run));
    const checks = run.suites[0]!.checks;
    const outcomes = await Promise.allSettled(checks.map((c) => json.onCheckEnd(c)));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    await expect(json.onRunEnd(run)).rejects.toThrowError(/cannot write .*blocker\/results\.json: a part of the path is a file/);
    expect(json.writtenFiles()).toEqual([]);
  });

  it('write nothing before the run began', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-fr-'));
    const json = new JsonReporter({ outputFile: join(dir, 'results.json') });
    await json.onCheckEnd(sampleRun().suites[0]!.checks[0]!);
    expect(json.writtenFiles()).toEqual([]);
  });
});
