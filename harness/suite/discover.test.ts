import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverSuiteFiles } from './discover.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-discover-'));
  for (const f of ['suites/nodes.yaml', 'suites/net/network.yml', 'suites/assignments/lab1/assignment.yaml', 'suites/fixtures/x.yaml', 'suites/notes.md']) {
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await writeFile(path.join(dir, f), 'name: x\n');
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rel = (files: string[]) => files.map((f) => path.relative(dir, f));

describe('discoverSuiteFiles', () => {
  it('a searched folder skips assignments (they need a student\'s objects) and fixtures', async () => {
    expect(rel((await discoverSuiteFiles([path.join(dir, 'suites')])).files)).toEqual(['suites/net/network.yml', 'suites/nodes.yaml']);
  });

  it('an assignments folder named on its own is searched, and so is a file in it', async () => {
    expect(rel((await discoverSuiteFiles([path.join(dir, 'suites/assignments')])).files)).toEqual(['suites/assignments/lab1/assignment.yaml']);
    expect(rel((await discoverSuiteFiles([path.join(dir, 'suites/assignments/lab1')])).files)).toEqual(['suites/assignments/lab1/assignment.yaml']);
    expect(rel((await discoverSuiteFiles([path.join(dir, 'suites/assignments/lab1/assignment.yaml')])).files)).toEqual(['suites/assignments/lab1/assignment.yaml']);
  });
});
