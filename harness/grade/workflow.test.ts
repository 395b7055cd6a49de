// The sample sharded-grading workflow: one grade job per shard (1..SHARDS),
// each grading --shard i/SHARDS, and one merge job after all of them; and
// actionlint's verdict where actionlint is installed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoPath } from '../paths.ts';

const WORKFLOW = repoPath('.github', 'workflows', 'grade-sharded.yml');
const actionlint = [process.env.ACTIONLINT, path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'bin', 'actionlint')].find((c): c is string => !!c && existsSync(c));

describe('.github/workflows/grade-sharded.yml', () => {
  it('grades shard i of SHARDS in each matrix job and merges once after all of them', async () => {
    const wf = parse(await readFile(WORKFLOW, 'utf8')) as {
      env: { SHARDS: number };
      jobs: Record<string, { needs?: string; if?: string; strategy?: { 'fail-fast': boolean; matrix: { shard: number[] } }; steps: { run?: string }[] }>;
    };
    const grade = wf.jobs.grade!;
    expect(grade.strategy?.matrix.shard).toEqual(Array.from({ length: wf.env.SHARDS }, (_, i) => i + 1));
    expect(grade.strategy?.['fail-fast']).toBe(false);
    expect(grade.steps.map((s) => s.run ?? '').join('\n')).toMatch(/kconform grade .*--no-retries --max-wait 5s[\s\S]*--shard "\$SHARD\/\$SHARDS" -o "grades-\$SHARD"/);
    expect(wf.jobs.merge?.needs).toBe('grade');
    expect(wf.jobs.merge?.if).toBe('always()');
    expect(wf.jobs.merge?.steps.map((s) => s.run ?? '').join('\n')).toContain('npx kconform merge shards -o grades');
  });

  it.skipIf(!actionlint)('passes actionlint', async () => {
    const r = await execa(actionlint!, [WORKFLOW], { reject: false });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
