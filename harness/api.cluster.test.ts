// The public API as a team would use it from its own Vitest tests: the package is
// imported by its name ('kconform', package.json "exports"), a suite is written in
// the test, and the run goes to the testbed cluster through the kubeconfig provider.
// The part between the README markers is copied verbatim into README.md
// ("Driving kconform from your own tests"); harness/api.test.ts keeps the two equal.
// README example begins
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createReporters, defaultRunOptions, kubeconfigProvider, runSession, suiteFromYaml } from 'kconform';

// kconform's own cluster tier injects its testbed's kubeconfig; elsewhere: process.env.KUBECONFIG.
const kubeconfig = inject('kubeconfig');
const reports = await mkdtemp(path.join(os.tmpdir(), 'kconform-api-'));
afterAll(() => rm(reports, { recursive: true, force: true }));

// A suite written in the test: a fixture, and an assert check on what the cluster then holds.
const settings = (mode: string) => `
name: api-example
fixtures:
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: settings }
      data: { mode: strict }
checks:
  - kind: assert
    name: mode
    resource: { apiVersion: v1, kind: ConfigMap, name: settings }
    expect: { data: { mode: ${mode} } }
    wait: 5s
`;

async function check(mode: string) {
  const suite = await suiteFromYaml(settings(mode), 'api-example.yaml');
  return runSession({
    suites: [suite],
    options: defaultRunOptions(),
    // An existing cluster; kindProvider({...}) would create a kind cluster for the run and delete it after.
    provider: kubeconfigProvider({ kubeconfig }),
    // The CLI's JUnit and JSON reporters; console: 'plain' would print progress lines too.
    reporter: createReporters({ junit: path.join(reports, mode, 'junit.xml'), json: path.join(reports, mode, 'results.json'), console: 'silent' }),
  });
}

describe.skipIf(!kubeconfig)('kconform from a test', () => {
  it('passes when the cluster holds what the suite expects', async () => {
    const { result, exitCode } = await check('strict');
    expect(result.suites[0]?.checks.map((c) => [c.name, c.status])).toEqual([['mode', 'pass']]);
    expect(exitCode).toBe(0);
  });

  it('fails, saying why, when it does not', async () => {
    const { result, exitCode } = await check('lax');
    const mode = result.suites[0]?.checks[0];
    expect(mode?.status).toBe('fail');
    expect(mode?.reason).toMatch(/mode/);
    expect(exitCode).toBe(1);
  });
});
// README example ends

const skipReason = inject('clusterSkipReason');

describe.skipIf(!kubeconfig)(`what the example leaves${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('the reports of both runs, and no namespace', async () => {
    await check('lax');
    const json = JSON.parse(await readFile(path.join(reports, 'lax', 'results.json'), 'utf8')) as { summary: { failed: number }; cluster: { provider: string } };
    expect(json.summary.failed).toBe(1);
    expect(json.cluster.provider).toBe('kubeconfig');
    expect(await readFile(path.join(reports, 'lax', 'junit.xml'), 'utf8')).toContain('api-example');
    const { Kube } = await import('./kube/client.ts');
    const kube = Kube.fromKubeconfig({ kubeconfig });
    try {
      const names = (await kube.list('v1', 'Namespace')).map((n) => n.metadata.name);
      expect(names.filter((n) => n?.startsWith('kconform-api-example-'))).toEqual([]);
    } finally {
      await kube.close();
    }
  });
});
