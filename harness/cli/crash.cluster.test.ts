// An error that escapes every handler in the middle of a run (injected here with
// `node --import`, as a library's stray 'error' event would arrive) is wound down
// like a first Ctrl-C: the check stops, the suite's namespace is deleted, the
// reports say "interrupted", and the command exits 3 with one line naming the error.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { repoPath } from '../paths.ts';
import { runCli } from '../testing/run-cli.ts';
import { Kube } from '../kube/client.ts';
import type { RunResult } from '../results/model.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

// The check waits up to 60 s for a value nobody will set; the fault lands well inside that wait.
const suite = `name: crash-test
fixtures:
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: marker }
      data: { state: waiting }
checks:
  - kind: assert
    name: never-true
    timeout: 90s
    retries: 0
    resource: { apiVersion: v1, kind: ConfigMap, name: marker }
    expect:
      data: { state: never }
    wait: 60s
`;
// The fault lands once the check is waiting (the test creates the trigger file
// when the run has printed its namespace and the fixture exists), not after a
// fixed time: under load a timer fired before the run had reached its suite.
const faultModule = (trigger: string) =>
  `import { existsSync } from 'node:fs';\nconst t = setInterval(() => { if (existsSync(${JSON.stringify(trigger)})) { clearInterval(t); throw new Error('injected fault for the test'); } }, 100);\nt.unref();\n`;

describe.skipIf(!kubeconfig)(`an escaped error mid-run on the real cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir: string;
  let runId: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-crash-'));
    await writeFile(path.join(dir, 'crash.yaml'), suite);
    await writeFile(path.join(dir, 'fault.mjs'), faultModule(path.join(dir, 'trigger')));
  });
  afterAll(async () => {
    // Only matters when the test failed: never leave the namespace behind.
    if (runId) await runCli(['clean', '--run', runId, '--kubeconfig', kubeconfig]);
  });

  it('stops the check, deletes the namespace, writes "interrupted" reports and exits 3 naming the error', { timeout: 240_000 }, async () => {
    const started = Date.now();
    const child = execa('node', [repoPath('harness', 'cli', 'bin.js'), 'run', path.join(dir, 'crash.yaml'), '--kubeconfig', kubeconfig, '--reports', path.join(dir, 'r')], {
      reject: false,
      preferLocal: true,
      cwd: repoPath(),
      env: { CI: 'true', NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, 'fault.mjs')).href}` },
    });
    let exited = false;
    void child.finally(() => (exited = true));
    let seen = '';
    child.stdout.on('data', (b: Buffer) => (seen += b.toString()));
    child.stderr.on('data', (b: Buffer) => (seen += b.toString()));
    // Trigger once the suite's namespace holds the fixture: the check is then waiting for a value nobody sets.
    const kube0 = Kube.fromKubeconfig({ kubeconfig });
    let faultAt = 0;
    try {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && !exited) {
        const name = /ns (kconform-crash-test-[a-z0-9]+)/.exec(seen)?.[1];
        if (name && (await kube0.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'marker', namespace: name }).catch(() => undefined))) {
          await new Promise((res) => setTimeout(res, 1000));
          await writeFile(path.join(dir, 'trigger'), '');
          faultAt = Date.now();
          break;
        }
        await new Promise((res) => setTimeout(res, 250));
      }
    } finally {
      await kube0.close();
    }
    const done = await child;
    const r = { code: done.exitCode, stdout: String(done.stdout), stderr: String(done.stderr) };
    const out = `${r.stdout}\n${r.stderr}`;
    process.stdout.write(`    crash mid-run: exit ${r.code} after ${((Date.now() - started) / 1000).toFixed(1)}s (fault ${faultAt ? `at +${((faultAt - started) / 1000).toFixed(1)}s` : 'never triggered'})\n${out.replace(/^/gm, '      ')}\n`);
    expect(faultAt, 'the run never reached its check').toBeGreaterThan(0);
    const ns = /ns (kconform-crash-test-[a-z0-9]+)/.exec(out)?.[1];
    runId = ns?.replace('kconform-crash-test-', '');
    expect(ns).toBeDefined();
    expect(r.code).toBe(3);
    expect(out).toContain('internal error: injected fault for the test: stopping checks and cleaning up');
    expect(out).toContain(`cleaning up ${ns}`);
    expect(r.stderr).toContain('kconform: internal error: injected fault for the test; the run was stopped and cleaned up');
    // Stopped at the fault, not at the end of the check's 60 s wait.
    expect(Date.now() - faultAt).toBeLessThan(45_000);

    const result = JSON.parse(await readFile(path.join(dir, 'r', 'results.json'), 'utf8')) as RunResult;
    expect(result.interrupted).toBe(true);
    expect(result.suites[0]?.checks.map((c) => [c.name, c.status])).toEqual([['never-true', 'error']]);

    const kube = Kube.fromKubeconfig({ kubeconfig });
    try {
      expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns! })).toBeUndefined();
    } finally {
      await kube.close();
    }
    runId = undefined;
  });
});
