import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LatestWriter, ReportWriteError, writeFileAtomic } from './atomic-write.ts';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kconform-atomic-'));
}

/**
 * Makes `dir` refuse new files. chmod does not stop root, so as root the folder is
 * made immutable instead (where the file system allows it). Returns the undo, or
 * undefined when neither works here.
 */
function makeUnwritable(dir: string): (() => void) | undefined {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    return () => chmodSync(dir, 0o755);
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    return () => execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
}

describe('writeFileAtomic', () => {
  it('writes the whole file, creating folders, and leaves no temporary file', async () => {
    const dir = await scratch();
    const file = join(dir, 'a', 'b', 'junit.xml');
    await writeFileAtomic(file, '<testsuites/>\n');
    expect(await readFile(file, 'utf8')).toBe('<testsuites/>\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['junit.xml']);
  });

  it('replaces an older file whole', async () => {
    const dir = await scratch();
    const file = join(dir, 'results.json');
    await writeFile(file, 'x'.repeat(10_000));
    await writeFileAtomic(file, '{}\n');
    expect(await readFile(file, 'utf8')).toBe('{}\n');
  });

  it('fails clearly when a file stands where the folder should be', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'reports'), 'not a folder');
    const target = join(dir, 'reports', 'junit.xml');
    const err = await writeFileAtomic(target, 'data').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportWriteError);
    expect((err as ReportWriteError).message).toMatch(/^cannot write .*reports\/junit\.xml: /);
    expect((err as ReportWriteError).path).toBe(target);
  });

  it.runIf(process.platform === 'linux')('gives up at once where a parent folder refuses new folders (/proc)', async () => {
    const started = Date.now();
    const err = await writeFileAtomic('/proc/kconform-no-such/sub/junit.xml', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportWriteError);
    expect((err as Error).message).toMatch(/^cannot write \/proc\/kconform-no-such\/sub\/junit\.xml: ENOENT/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('leaves no partial file when the final rename fails', async () => {
    const dir = await scratch();
    // A directory where the report should go: the temporary file is written, the rename fails.
    await mkdir(join(dir, 'junit.xml'));
    const err = await writeFileAtomic(join(dir, 'junit.xml'), 'data').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportWriteError);
    expect((err as Error).message).toMatch(/junit\.xml: a directory is in the way|junit\.xml: /);
    expect(await readdir(dir)).toEqual(['junit.xml']);
    expect(await readdir(join(dir, 'junit.xml'))).toEqual([]);
  });

  it('fails clearly in a folder it may not write, keeping the old file', async (ctx) => {
    const dir = await scratch();
    const file = join(dir, 'junit.xml');
    await writeFile(file, 'old report');
    const undo = makeUnwritable(dir);
    if (!undo) return ctx.skip('cannot make a folder unwritable here (root without chattr)');
    try {
      const err = await writeFileAtomic(file, 'new report').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportWriteError);
      expect((err as Error).message).toBe(`cannot write ${file}: permission denied (is the directory writable?)`);
      expect(await readFile(file, 'utf8')).toBe('old report');
      expect(await readdir(dir)).toEqual(['junit.xml']);
    } finally {
      undo();
    }
  });
});

describe('LatestWriter', () => {
  it('runs one write at a time and keeps only the newest waiting content', async () => {
    const dir = await scratch();
    const file = join(dir, 'r.json');
    const w = new LatestWriter(file);
    expect(w.written).toBe(false);
    const writes = [w.write('1'), w.write('2'), w.write('3'), w.write('4')];
    await Promise.all(writes);
    expect(await readFile(file, 'utf8')).toBe('4');
    expect(w.written).toBe(true);
    await w.write('5');
    expect(await readFile(file, 'utf8')).toBe('5');
  });

  it('rejects every waiting caller when a write fails', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'blocker'), '');
    const w = new LatestWriter(join(dir, 'blocker', 'r.json'));
    const results = await Promise.allSettled([w.write('a'), w.write('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(w.written).toBe(false);
  });
});
