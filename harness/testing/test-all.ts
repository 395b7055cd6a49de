// `npm test`: typecheck, lint (eslint.config.js), then the three tiers in order: unit (no cluster), api
// (real kube-apiserver + etcd in Docker) and cluster (a real kind testbed).
// The testbed (Docker, images) is prepared between unit and api, with progress;
// where Docker cannot run at all the two tiers are skipped and the reason printed.
// Ends with one plain line: "N passed, N failed, N skipped".
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { prepareTestbed } from './testbed.ts';
import { sweepApiTierLeftovers } from './api-server.ts';
import { PREPARED_ENV, TEST_CLUSTER, releaseTestCluster, upTestCluster } from './test-cluster.ts';
import { provideChromium } from './browser.ts';
import { NPM_TEST_SCRATCH_PREFIX } from './scratch-tmp.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

// Each tier's JSON report, kept where a user looks (reports/ is git-ignored) and
// replaced by the next run, not a new temporary folder left behind every time.
const tierReports = path.join(import.meta.dirname, '..', '..', 'reports', 'tests');
await mkdir(tierReports, { recursive: true });
// The tests' own temporary folders (fake PATHs, empty caches with a kind binary,
// browser profiles: ~170 MB a run) go under one scratch folder, removed at the
// end and on Ctrl-C, instead of piling up in the system's temporary folder.
const scratch = await mkdtemp(path.join(os.tmpdir(), NPM_TEST_SCRATCH_PREFIX));
const removeScratch = () => rm(scratch, { recursive: true, force: true }).catch(() => {});
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
let failedSteps: string[] = [];

function banner(text: string): void {
  process.stdout.write(`\n=== ${text}\n`);
}

let running: Promise<unknown> | undefined;
let interrupted = false;

async function step(name: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<boolean> {
  const child = execa(cmd, args, { stdio: 'inherit', reject: false, preferLocal: true, env: { TMPDIR: scratch, ...env } });
  running = child;
  const r = await child;
  await haltIfInterrupted();
  if (r.exitCode !== 0) failedSteps.push(name);
  return r.exitCode === 0;
}

async function vitestTier(tier: string, projects: string[], env: Record<string, string> = {}): Promise<void> {
  banner(`${tier} tier`);
  const out = path.join(tierReports, `${tier}.json`);
  // An earlier run's report must not be tallied if vitest dies before writing this one.
  await rm(out, { force: true });
  await step(`${tier} tier`, 'vitest', ['run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
  try {
    const j = JSON.parse(await readFile(out, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    total.passed += j.numPassedTests;
    total.failed += j.numFailedTests;
    total.skipped += j.numPendingTests + j.numTodoTests;
  } catch {
    // vitest died before writing its report; the failed step says so.
  }
}

banner('typecheck');
await step('typecheck', 'tsc', ['--noEmit', '-p', '.']);
banner('lint');
await step('lint', 'eslint', []);
// The unit tier's HTML browser test needs Debian's chromium: installed here where
// root and apt-get allow, so `npm test` tests what CI tests.
const browser = await provideChromium((line) => process.stdout.write(`  ${line}\n`));
await vitestTier('unit', ['unit']);

banner('testbed (Docker and images)');
const testbed = await prepareTestbed((line) => process.stdout.write(`  ${line}\n`));
const env: Record<string, string> = testbed.ok ? {} : { KCONFORM_TESTBED_SKIP: testbed.reason };
if (!testbed.ok) process.stdout.write(`  api and cluster tiers will be skipped: ${testbed.reason}\n`);

// The test cluster comes up while the api tier runs (its progress is printed
// after the tier, not mixed into it); Ctrl-C deletes what was made.
const clusterLog: string[] = [];
const abort = new AbortController();
const clusterUp = testbed.ok
  ? upTestCluster((l) => clusterLog.push(l), abort.signal, { fresh: process.env.CI === 'true' }).catch((err: unknown) => err as Error)
  : undefined;
// Once only: Ctrl-C and the end of the cluster tier may both ask.
let deleting: Promise<void> | undefined;
function deleteCluster(): Promise<void> {
  return (deleting ??= (async () => {
    const up = await clusterUp;
    if (up && !(up instanceof Error)) await releaseTestCluster(up, (l) => process.stdout.write(`  ${l}\n`));
  })());
}
/** After Ctrl-C the signal handler finishes the run: nothing more starts. */
async function haltIfInterrupted(): Promise<void> {
  if (interrupted) await new Promise(() => {});
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stdout.write(`\n${sig}: stopping; the test cluster is deleted (again to force)\n`);
    abort.abort();
    // The tier's vitest got the signal too: once it has ended, remove the API
    // tier's containers it may have left mid-start, then the cluster.
    void Promise.allSettled([running])
      .then(() => sweepApiTierLeftovers())
      .then(deleteCluster)
      .then(removeScratch)
      .finally(() => process.exit(130));
  });
}

await vitestTier('api', ['api'], env);

if (clusterUp) {
  banner('test cluster');
  const t0 = Date.now();
  const up = await clusterUp;
  await haltIfInterrupted();
  for (const l of clusterLog) process.stdout.write(`  ${l}\n`);
  if (up instanceof Error) {
    process.stdout.write(`  the test cluster did not come up: ${up.message}\n`);
    failedSteps.push('test cluster');
  } else {
    process.stdout.write(`  ${TEST_CLUSTER} ready (waited ${Math.round((Date.now() - t0) / 1000)}s after the api tier)\n`);
    await vitestTier('cluster', ['cluster', 'cluster-serial'], { ...env, [PREPARED_ENV]: '1' });
    await deleteCluster();
  }
} else {
  await vitestTier('cluster', ['cluster', 'cluster-serial'], env);
}

await haltIfInterrupted();
await removeScratch();
banner('summary');
if (failedSteps.length) process.stdout.write(`failed: ${failedSteps.join(', ')}\n`);
if (!browser.ok) process.stdout.write(`skipped: the HTML report's browser test (${browser.reason}); enable it with: ${browser.enable}\n`);
if (!testbed.ok) {
  const enable = process.env.KCONFORM_SKIP_TESTBED ? 'unset KCONFORM_SKIP_TESTBED' : 'as root: npx kconform setup (installs and starts Docker), then npm test';
  process.stdout.write(`skipped tiers: api, cluster (${testbed.reason}); enable them with: ${enable}\n`);
}
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(failedSteps.length || total.failed ? 1 : 0);
