import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceFilesReporter, evidenceDirOf, safeSegment, writeCheckEvidence } from './evidence-files.ts';
import { check, failEvidence, sampleSuite } from './testing/sample-run.ts';

describe('evidence files', () => {
  const failed = sampleSuite().checks.find((c) => c.status === 'fail')!;

  it('writes summary, events, one log per pod container and data.json under <suite>/<check>/', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kconform-ev-'));
    const dir = await writeCheckEvidence(root, failed);
    expect(dir).toBe(join(root, 'net', 'serviceDistribution') + '/');
    expect((await readdir(dir)).sort()).toEqual(['data.json', 'events.txt', 'summary.txt', 'web-2.netexec.log']);
    expect(await readFile(join(dir, 'web-2.netexec.log'), 'utf8')).toBe('line 1\nline 2\n');
    expect(await readFile(join(dir, 'events.txt'), 'utf8')).toContain('Readiness probe failed');
    const summary = await readFile(join(dir, 'summary.txt'), 'utf8');
    expect(summary).toMatch(/^fail: endpoint web-2 answered 0\/300/);
    expect(summary).toContain('hint: web-2 is Ready');
    expect(summary).toContain('| client-b  | 1ms      | ✗ timeout |');
    expect(JSON.parse(await readFile(join(dir, 'data.json'), 'utf8'))).toEqual(failed);
  });

  it('keeps two logs of the same container apart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kconform-ev-'));
    const c = check('twice', {
      status: 'fail',
      evidence: [
        { kind: 'logs', title: 'current', pod: 'web-0', container: 'app', text: 'now' },
        { kind: 'logs', title: 'previous', pod: 'web-0', container: 'app', text: 'before crash' },
      ],
    });
    const dir = await writeCheckEvidence(root, c);
    expect(await readFile(join(dir, 'web-0.app.log'), 'utf8')).toBe('now\n');
    expect(await readFile(join(dir, 'web-0.app.2.log'), 'utf8')).toBe('before crash\n');
  });

  it('replaces what an earlier run left in its own folder, and nothing else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kconform-ev-'));
    const dir = evidenceDirOf(root, 'net', 'serviceDistribution');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'data.json'), '{}');
    await writeFile(join(dir, 'old-pod.app.log'), 'stale');
    await writeFile(join(dir, 'notes.md'), 'mine');
    await writeCheckEvidence(root, failed);
    const names = await readdir(dir);
    expect(names).not.toContain('old-pod.app.log');
    expect(names).toContain('notes.md');
  });

  it('makes names safe as one path segment', () => {
    expect(safeSegment('../../etc')).toBe('__.._etc');
    expect(safeSegment('svc a/b')).toBe('svc_a_b');
    expect(safeSegment('')).toBe('_');
    expect(evidenceDirOf('reports/evidence', 'net', '..')).toBe('reports/evidence/net/_/');
  });

  it('the reporter writes only failed and errored checks', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kconform-ev-'));
    const reporter = new EvidenceFilesReporter({ dir: root });
    for (const c of sampleSuite().checks) await reporter.onCheckEnd(c);
    expect(await readdir(join(root, 'net'))).toEqual(expect.arrayContaining(['serviceDistribution', 'dns']));
    expect(await readdir(join(root, 'net'))).toHaveLength(2);
    expect(reporter.evidenceFolders()).toHaveLength(2);
    expect(failEvidence).toHaveLength(8);
  });
});
