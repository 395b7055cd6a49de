// `npm test`: typecheck, then the three tiers in order: unit (no cluster), api
// (real kube-apiserver + etcd in Docker) and cluster (a real kind testbed).
// The testbed (Docker, images) is prepared between unit and api, with progress;
// where Docker cannot run at all the two tiers are skipped and the reason printed.
// Ends with one plain line: "N passed, N failed, N skipped".
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { prepareTestbed } from './testbed.ts';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'kconform-test-'));
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
let failedSteps: string[] = [];

function banner(text: string): void {
  process.stdout.write(`\n=== ${text}\n`);
}

async function step(name: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<boolean> {
  const r = await execa(cmd, args, { stdio: 'inherit', reject: false, preferLocal: true, env });
  if (r.exitCode !== 0) failedSteps.push(name);
  return r.exitCode === 0;
}

async function vitestTier(project: string, env: Record<string, string> = {}): Promise<void> {
  banner(`${project} tier`);
  const out = path.join(tmp, `${project}.json`);
  await step(`${project} tier`, 'vitest', ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
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
await vitestTier('unit');

banner('testbed (Docker and images)');
const testbed = await prepareTestbed((line) => process.stdout.write(`  ${line}\n`));
const env: Record<string, string> = testbed.ok ? {} : { KCONFORM_TESTBED_SKIP: testbed.reason };
if (!testbed.ok) process.stdout.write(`  api and cluster tiers will be skipped: ${testbed.reason}\n`);
await vitestTier('api', env);
await vitestTier('cluster', env);

banner('summary');
if (failedSteps.length) process.stdout.write(`failed: ${failedSteps.join(', ')}\n`);
if (!testbed.ok) process.stdout.write(`skipped tiers: api, cluster (${testbed.reason})\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(failedSteps.length || total.failed ? 1 : 0);
