import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTALL_STEP, ProgramMissingError, runProgram, spawnFailureWords } from './programs.ts';
import { dockerAvailable, missingImages } from './cluster/docker.ts';
import { runImageScript, scriptCause } from './images/scripts.ts';
import { pathWithout } from './testing/fake-path.ts';

const realPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = realPath;
});

describe('a program that cannot be started is named with its install step', () => {
  it('not on PATH: ProgramMissingError, "not found on PATH", the install step', async () => {
    process.env.PATH = pathWithout(['docker']).dir;
    const err = await runProgram('docker', ['version']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProgramMissingError);
    expect((err as Error).message).toBe(`cannot start docker (not found on PATH); ${INSTALL_STEP.docker}`);
  });

  it('not executable: EACCES in words, never "failed" with an empty reason', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-prog-'));
    const f = path.join(dir, 'kind');
    writeFileSync(f, '#!/bin/sh\necho hi\n');
    chmodSync(f, 0o644);
    const err = (await runProgram('kind', ['version'], {}, f).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ProgramMissingError);
    expect(err.message).toContain(`${f}: not executable (permission denied)`);
    expect(err.message).toContain(INSTALL_STEP.kind);
  });

  it('a program that runs and exits non-zero is a result, not a missing program', async () => {
    const fake = pathWithout(['docker']);
    fake.script('docker', 'echo "no such image" >&2; exit 1');
    process.env.PATH = fake.dir;
    const r = await runProgram('docker', ['image', 'inspect', 'x']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('no such image');
  });

  it('docker missing: missingImages throws instead of calling every image missing; dockerAvailable says how to get it', async () => {
    process.env.PATH = pathWithout(['docker']).dir;
    await expect(missingImages(['registry.k8s.io/pause:3.10.2'])).rejects.toThrow(/cannot start docker \(not found on PATH\); as root: npx kconform setup/);
    const d = await dockerAvailable();
    expect(d.ok).toBe(false);
    expect(d.reason).toContain('cannot start docker (not found on PATH)');
  });

  it('bash missing: the image scripts name it', async () => {
    process.env.PATH = pathWithout(['bash']).dir;
    await expect(runImageScript('status.sh', [])).rejects.toThrow(`cannot start bash (not found on PATH); ${INSTALL_STEP.bash}`);
  });

  it('spawn codes in words', () => {
    expect(spawnFailureWords('ENOENT', true)).toBe('not found on PATH');
    expect(spawnFailureWords('ENOENT', false)).toBe('no such file');
    expect(spawnFailureWords('EACCES', false)).toMatch(/not executable/);
  });
});

describe('a failed builder script carries its cause', () => {
  it('the builder\'s own "!!" lines, else the last line', () => {
    expect(scriptCause(['==> [1/2] bin/kind', '!! missing: go is not installed; install Go'])).toBe('missing: go is not installed; install Go');
    expect(scriptCause(['x', '!! FAILED step: bin/kind', '!! command: go build (exit 1)', '!! last 30 lines of log:', '   | boom'])).toBe('FAILED step: bin/kind; command: go build (exit 1)');
    expect(scriptCause(['a', 'the end', ''])).toBe('the end');
    expect(scriptCause([])).toBe('no output');
  });
});
