import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kindClusters, KindMissingError, provideKind } from './kind-cli.ts';
import { INSTALL_STEP } from '../../programs.ts';
import { pathWithout } from '../../testing/fake-path.ts';

const saved = { PATH: process.env.PATH, KCONFORM_KIND: process.env.KCONFORM_KIND, KCONFORM_CACHE: process.env.KCONFORM_CACHE };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function emptyCache(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'kc-cache-'));
  process.env.KCONFORM_CACHE = d;
  return d;
}

describe('provideKind', () => {
  it('KCONFORM_KIND naming a file that is not executable: named, with how to fix it', async () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'kc-kind-')), 'kind');
    writeFileSync(f, '#!/bin/sh\nexit 0\n');
    chmodSync(f, 0o644);
    process.env.KCONFORM_KIND = f;
    const err = (await provideKind().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(KindMissingError);
    expect(err.message).toBe(`KCONFORM_KIND=${f} is not an executable file; unset it, or ${INSTALL_STEP.kind}`);
  });

  it('no kind anywhere and the build cannot run (no Go): the cause and the install step, after trying', async () => {
    delete process.env.KCONFORM_KIND;
    emptyCache();
    process.env.PATH = pathWithout(['kind', 'go']).dir;
    const lines: string[] = [];
    const err = (await provideKind((l) => lines.push(l)).catch((e: unknown) => e)) as Error;
    expect(lines[0]).toMatch(/kind is not installed: building it/);
    expect(err).toBeInstanceOf(KindMissingError);
    expect(err.message).toMatch(/^kind is not installed and could not be built \(harness\/images\/build.sh --only bin\/kind failed \(exit 1\): missing: go is not installed; install Go 1.26/);
    expect(err.message).toContain(INSTALL_STEP.kind);
  }, 60_000);

  it('kind on PATH is used as it is, without building', async () => {
    delete process.env.KCONFORM_KIND;
    emptyCache();
    const fake = pathWithout(['kind']);
    const kind = fake.script('kind', 'echo "No kind clusters found."');
    process.env.PATH = fake.dir;
    expect(await provideKind()).toBe(kind);
    expect(await kindClusters()).toEqual([]);
  });
});

describe('a kind binary that cannot be started', () => {
  it('is named with its install step, never "kind get clusters failed"', async () => {
    const cache = emptyCache();
    mkdirSync(path.join(cache, 'bin'));
    const f = path.join(cache, 'bin', 'kind');
    // Executable bits, but not a program: execve refuses it.
    writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]));
    chmodSync(f, 0o755);
    delete process.env.KCONFORM_KIND;
    const err = (await kindClusters().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(KindMissingError);
    expect(err.message).toMatch(new RegExp(`^cannot start kind \\(${f}: .+\\); `));
    expect(err.message).toContain(INSTALL_STEP.kind);
    expect(err.message).not.toMatch(/failed$/);
  });
});
