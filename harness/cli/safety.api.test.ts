// The safety rule through the real kconform process, against a real
// kube-apiserver that kconform did not create (the api tier's): a destructive
// check (a NoExecute taint on a node) is held back with the reason unless the
// user passes --allow-disruptive or the suite states `disruptive: true`, and the
// console names the target once, before any request. The api tier has no
// nodes, so a check that is let through cannot taint anything: it stops on its
// own needs instead, which is what shows it was let through. It has no
// controllers either, so the test finishes deleted namespaces itself, as the
// namespace controller would (else every run's cleanup waits for it).
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiEnv } from '../testing/api-env.ts';
import { runCli } from '../testing/run-cli.ts';

const env = apiEnv();

const suite = (disruptive: boolean) =>
  [
    'name: safety',
    ...(disruptive ? ['disruptive: true'] : []),
    'checks:',
    '  - kind: eviction',
    '    name: taint',
    '    mode: taint',
    '    tolerationSeconds: 5',
    '',
  ].join('\n');

interface Result {
  suites: { checks: { id: string; status: string; reason: string }[] }[];
}

describe.skipIf(env.skipReason !== '')('the safety rule, through the CLI, on a cluster kconform did not create', () => {
  let dir: string;
  const context = inject('apiAdminContext');
  const run = (file: string, ...extra: string[]) =>
    runCli(['run', file, '--kubeconfig', env.kubeconfig, '--context', context, '--no-retries', '--reporter', 'json', '-o', path.join(dir, `out-${path.basename(file)}-${extra.length}`), ...extra], {
      KUBECONFIG: path.join(dir, 'no-such-kubeconfig'),
    });
  const taint = (stdout: string) => (JSON.parse(stdout) as Result).suites[0]!.checks[0]!;

  let finalizer: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(env.kubeconfig);
    kc.setCurrentContext(context);
    const core = kc.makeApiClient(CoreV1Api);
    // The namespace controller's last step, for kconform's own namespaces only: empty spec.finalizers once deletion began.
    finalizer = setInterval(() => {
      void core
        .listNamespace()
        .then(async (list) => {
          for (const ns of list.items) {
            const name = ns.metadata?.name ?? '';
            if (!name.startsWith('kconform-') || !ns.metadata?.deletionTimestamp || !ns.spec?.finalizers?.length) continue;
            await core.replaceNamespaceFinalize({ name, body: { ...ns, spec: { finalizers: [] } } });
          }
        })
        .catch(() => {});
    }, 500);
    dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-safety-'));
    await writeFile(path.join(dir, 'plain.yaml'), suite(false));
    await writeFile(path.join(dir, 'stated.yaml'), suite(true));
  });

  afterAll(() => clearInterval(finalizer));

  it('holds the taint check back with the reason, naming the context and server once on stderr', async () => {
    const r = await run(path.join(dir, 'plain.yaml'));
    expect(r.code, r.stderr).toBe(0);
    const c = taint(r.stdout);
    expect(c.status).toBe('skip');
    expect(c.reason).toMatch(/^not run: this check changes nodes or runs privileged pods, and context \S+ \(https:\/\/127\.0\.0\.1:\d+\) is a cluster kconform did not create; pass --allow-disruptive/);
    const targets = r.stderr.split('\n').filter((l) => l.startsWith('kconform: testing '));
    expect(targets).toEqual([expect.stringMatching(new RegExp(`^kconform: testing context ${context} \\(https://127\\.0\\.0\\.1:\\d+\\)$`))]);
  }, 120_000);

  it('--allow-disruptive lets it through (it then stops on its own needs: this cluster has no nodes)', async () => {
    const r = await run(path.join(dir, 'plain.yaml'), '--allow-disruptive');
    const c = taint(r.stdout);
    expect(c.reason).not.toContain('--allow-disruptive');
    expect(c.reason).toMatch(/node|worker/i);
  }, 120_000);

  it('a suite that states disruptive: true lets it through too', async () => {
    const r = await run(path.join(dir, 'stated.yaml'));
    const c = taint(r.stdout);
    expect(c.reason).not.toContain('--allow-disruptive');
    expect(c.reason).toMatch(/node|worker/i);
  }, 120_000);
});
