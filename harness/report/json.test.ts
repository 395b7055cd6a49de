import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonReporter, parseResults, readResultsFile, renderJson, ResultsFileError } from './json.ts';
import { runResultSchema } from './results-schema.ts';
import { beginInfo, sampleRun } from './testing/sample-run.ts';

describe('results.json', () => {
  it('is the RunResult itself, valid against the schema, and round-trips', () => {
    const run = sampleRun();
    const text = renderJson(run);
    const data: unknown = JSON.parse(text);
    const parsed = runResultSchema.safeParse(data);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(run);
    expect(parseResults(text, 'results.json')).toEqual(run);
    expect((data as { schemaVersion: number }).schemaVersion).toBe(1);
  });

  it('is written atomically by the reporter at the end of the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-json-'));
    const file = join(dir, 'nested', 'results.json');
    const reporter = new JsonReporter({ outputFile: file });
    const run = sampleRun();
    reporter.onRunBegin(beginInfo(run));
    expect(reporter.writtenFiles()).toEqual([]);
    await reporter.onRunEnd(run);
    expect(await readResultsFile(file)).toEqual(run);
    expect(reporter.writtenFiles()).toEqual([file]);
  });

  it('rejects a file that is not JSON, with its path', () => {
    expect(() => parseResults('{"schemaVersion": 1,', 'reports/results.json')).toThrowError(/^reports\/results\.json: not JSON/);
  });

  it('rejects a results file of another shape, naming the field', () => {
    const run = sampleRun() as unknown as Record<string, unknown>;
    const bad = JSON.stringify({ ...run, schemaVersion: 2 });
    expect(() => parseResults(bad, 'r.json')).toThrowError(ResultsFileError);
    expect(() => parseResults(bad, 'r.json')).toThrowError(/schemaVersion/);
    const badCheck = sampleRun();
    (badCheck.suites[0]!.checks[0] as unknown as { status: string }).status = 'maybe';
    expect(() => parseResults(JSON.stringify(badCheck), 'r.json')).toThrowError(/suites\.0\.checks\.0\.status/);
  });

  it('says clearly when the file cannot be read', async () => {
    await expect(readResultsFile('/nonexistent/kconform/results.json')).rejects.toThrowError(
      '/nonexistent/kconform/results.json: cannot read (ENOENT)',
    );
  });

  it('schema rejects unknown evidence kinds', async () => {
    const run = sampleRun();
    const raw = JSON.parse(renderJson(run)) as { suites: { checks: { evidence: unknown[] }[] }[] };
    raw.suites[0]!.checks[2]!.evidence.push({ kind: 'video', title: 'x' });
    const dir = await mkdtemp(join(tmpdir(), 'kconform-json-'));
    await writeFile(join(dir, 'r.json'), JSON.stringify(raw));
    await expect(readResultsFile(join(dir, 'r.json'))).rejects.toThrowError(/evidence\.8\.kind/);
    expect(await readFile(join(dir, 'r.json'), 'utf8')).toContain('video');
  });
});
