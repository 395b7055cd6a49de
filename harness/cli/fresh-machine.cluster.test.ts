// The fresh-machine path, cheaply: `kconform conformance` through the CLI with
// an empty KCONFORM_CACHE and no kind on PATH, the way a new machine meets it
// (a fresh clone on a machine that ran kconform before hides missing steps: the
// kind binary in the cache). Docker's images stay loaded, so only the cheap
// artefacts (kind, from its Go module) are made again. One node, one suite.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { pathWithout } from '../testing/fake-path.ts';
import { TEST_CLUSTER } from '../testing/test-cluster.ts';
import { kindClusters, kindDelete } from '../cluster/kind/kind-cli.ts';
import { parseResults } from '../report/json.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const NAME = `${TEST_CLUSTER}-fresh`;

const suite = `name: fresh
checks:
  - kind: nodes
    name: one-node
    count: 1
    controlPlanes: 1
    workers: 0
`;

describe.skipIf(!kubeconfig)(`a fresh machine: empty cache, no kind on PATH${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let cache = '';

  afterAll(async () => {
    // Never leave the cluster behind, even when the run broke half-way.
    if ((await kindClusters().catch(() => [] as string[])).includes(NAME)) await kindDelete(NAME).catch(() => {});
  });

  it('conformance builds kind into the empty cache, creates the cluster and writes a passing report', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-fresh-'));
    cache = path.join(dir, 'cache');
    await writeFile(path.join(dir, 'fresh.yaml'), suite);
    const reports = path.join(dir, 'reports');
    const t0 = Date.now();
    const r = await runCli(['conformance', path.join(dir, 'fresh.yaml'), '--name', NAME, '--nodes', '1', '--reports', reports], {
      KCONFORM_CACHE: cache,
      KCONFORM_KIND: '',
      PATH: pathWithout(['kind']).dir,
      KUBECONFIG: '',
    });
    const secs = Math.round((Date.now() - t0) / 1000);
    expect(r.stderr + r.stdout, `exit ${r.code} after ${secs}s`).toMatch(/kind is not installed: building it from its Go module/);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(cache, 'bin', 'kind'))).toBe(true);
    const results = parseResults(await readFile(path.join(reports, 'results.json'), 'utf8'), 'results.json');
    expect(results.summary).toMatchObject({ total: 1, passed: 1 });
    expect(results.harnessError).toBeUndefined();
    expect(await kindClusters()).not.toContain(NAME);
    process.stdout.write(`fresh-machine conformance: exit ${r.code} in ${secs}s (kind built into an empty cache)\n`);
  }, 900_000);
});
