// Flaky clusters, for real: a check whose first attempt fails by design (its pod
// becomes Ready only after ~8 s, each attempt gives up after a few seconds) is reported as
// passed-with-flake; --rerun-failed then reruns exactly the failed check and the
// merged report names the run each result came from; --keep on-failure keeps the
// namespace and `clean --run` removes it.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { Kube } from '../kube/client.ts';
import type { RunResult } from '../results/model.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

const suite = `name: flake-test
fixtures:
  - file: testing/slow-start.yaml
    wait: false
checks:
  - kind: assert
    name: slow-pod-ready
    timeout: 6s
    retries: 6
    resource: { apiVersion: v1, kind: Pod, name: slow-start }
    expect:
      status:
        conditions: { $some: { type: Ready, status: "True" } }
    wait: 5s
  - kind: nodes
    name: impossible-count
    count: 99
    settle: 0s
`;

async function kconform(args: string[]) {
  const r = await runCli(args);
  return { code: r.code, out: `${r.stdout}\n${r.stderr}` };
}

describe.skipIf(!kubeconfig)(`flake, rerun and keep on the real cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir: string;
  let first: RunResult;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-flake-'));
    await writeFile(path.join(dir, 'flake.yaml'), suite);
  });
  afterAll(async () => {
    if (first) await kconform(['clean', '--run', first.runId, '--kubeconfig', kubeconfig]);
  });

  it('reports a check that failed once and then passed as flaky, keeping every attempt', async () => {
    const r = await kconform(['run', path.join(dir, 'flake.yaml'), '--kubeconfig', kubeconfig, '--reports', path.join(dir, 'r1'), '--keep', 'on-failure']);
    expect(r.code).toBe(1);
    first = JSON.parse(await readFile(path.join(dir, 'r1', 'results.json'), 'utf8')) as RunResult;
    const flaky = first.suites[0]!.checks.find((c) => c.name === 'slow-pod-ready')!;
    expect(flaky.status).toBe('pass');
    expect(flaky.flaky).toBe(true);
    expect(flaky.attempts.length).toBeGreaterThan(1);
    expect(flaky.attempts[0]!.status).toBe('fail');
    expect(first.summary.flaky).toBe(1);
    expect(r.out).toMatch(/flaky: passed on attempt \d\/7/);
    const junit = await readFile(path.join(dir, 'r1', 'junit.xml'), 'utf8');
    expect(junit).toContain('<property name="flaky" value="true"/>');
  }, 240_000);

  it('keeps the namespace of the failed suite and says how to remove it', async () => {
    const kube = Kube.fromKubeconfig({ kubeconfig });
    try {
      const ns = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: first.suites[0]!.namespace });
      expect(ns?.metadata.name).toBe(first.suites[0]!.namespace);
    } finally {
      await kube.close();
    }
  });

  it('--rerun-failed reruns only the failed check and merges, each result naming its run', async () => {
    const r = await kconform(['run', '--rerun-failed', path.join(dir, 'r1', 'results.json'), '--kubeconfig', kubeconfig, '--reports', path.join(dir, 'r2')]);
    expect(r.code).toBe(1);
    const merged = JSON.parse(await readFile(path.join(dir, 'r2', 'results.json'), 'utf8')) as RunResult;
    expect(merged.rerunOf).toBe(first.runId);
    const byName = Object.fromEntries(merged.suites[0]!.checks.map((c) => [c.name, c]));
    expect(byName['slow-pod-ready']!.runId).toBe(first.runId);
    expect(byName['impossible-count']!.runId).toBe(merged.runId);
    expect(byName['impossible-count']!.reason).toMatch(/^expected 99 nodes, found \d+/);
    expect(r.out).not.toMatch(/slow-pod-ready/);
  }, 240_000);
});
