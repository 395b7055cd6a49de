// An error that escapes every handler in the middle of a run (injected here with
// `node --import`, as a library's stray 'error' event would arrive) is wound down
// like a first Ctrl-C: the check stops, the suite's namespace is deleted, the
// reports say "interrupted", and the command exits 3 with one line naming the error.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
const FAULT_AFTER_MS = 10_000;
const fault = `setTimeout(() => { throw new Error('injected fault for the test'); }, ${FAULT_AFTER_MS});\n`;

describe.skipIf(!kubeconfig)(`an escaped error mid-run on the real cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir: string;
  let runId: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-crash-'));
    await writeFile(path.join(dir, 'crash.yaml'), suite);
    await writeFile(path.join(dir, 'fault.mjs'), fault);
  });
  afterAll(async () => {
    // Only matters when the test failed: never leave the namespace behind.
    if (runId) await runCli(['clean', '--run', runId, '--kubeconfig', kubeconfig]);
  });

  it('stops the check, deletes the namespace, writes "interrupted" reports and exits 3 naming the error', async () => {
    const started = Date.now();
    const r = await runCli(['run', path.join(dir, 'crash.yaml'), '--kubeconfig', kubeconfig, '--reports', path.join(dir, 'r')], {
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(dir, 'fault.mjs')).href}`,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    process.stdout.write(`    crash mid-run: exit ${r.code} after ${((Date.now() - started) / 1000).toFixed(1)}s\n${out.replace(/^/gm, '      ')}\n`);
    const ns = /ns (kconform-crash-test-[a-z0-9]+)/.exec(out)?.[1];
    runId = ns?.replace('kconform-crash-test-', '');
    expect(ns).toBeDefined();
    expect(r.code).toBe(3);
    expect(out).toContain('internal error: injected fault for the test: stopping checks and cleaning up');
    expect(out).toContain(`cleaning up ${ns}`);
    expect(r.stderr).toContain('kconform: internal error: injected fault for the test; the run was stopped and cleaned up');
    // Stopped at the fault, not at the end of the check's 60 s wait.
    expect(Date.now() - started).toBeLessThan(55_000);

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
