// vitest globalSetup of the two cluster projects (`cluster`, run in parallel,
// and `cluster-serial`, for tests that disturb the whole cluster): brings up (or
// reuses) the test kind cluster and hands its kubeconfig to the tests. Both
// projects' setups run in this one process, so they share one cluster through
// globalThis; the last teardown releases it. A cluster this setup created is
// deleted at the end (always under CI; locally unless KCONFORM_KEEP_CLUSTER=1);
// one `npm test` prepared is left for `npm test` to delete.
import type { TestProject } from 'vitest/node';
import { dockerAvailable } from '../cluster/docker.ts';
import { PREPARED_ENV, TEST_CLUSTER, releaseTestCluster, upTestCluster, type TestClusterUp } from './test-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    clusterName: string;
    clusterSkipReason: string;
  }
}

type Ready = { skip: string } | { up: TestClusterUp };
interface Shared {
  users: number;
  ready?: Promise<Ready>;
}
const KEY = Symbol.for('kconform.testCluster');
const shared: Shared = ((globalThis as Record<symbol, Shared>)[KEY] ??= { users: 0 });

async function bringUp(): Promise<Ready> {
  const skip = process.env.KCONFORM_TESTBED_SKIP ?? (await dockerAvailable().then((d) => (d.ok ? '' : `Docker is not usable: ${d.reason}`)));
  if (skip) {
    process.stdout.write(`cluster tier skipped: ${skip}\n`);
    return { skip };
  }
  const prepared = process.env[PREPARED_ENV] === '1';
  const up = await upTestCluster((l) => process.stdout.write(`  ${l}\n`), new AbortController().signal, { fresh: !prepared && process.env.CI === 'true' });
  return { up: prepared ? { ...up, created: false } : up };
}

export async function setup(project: TestProject): Promise<void> {
  shared.users++;
  const ready = await (shared.ready ??= bringUp());
  project.provide('clusterName', TEST_CLUSTER);
  project.provide('kubeconfig', 'up' in ready ? ready.up.handle.kubeconfigPath : '');
  project.provide('clusterSkipReason', 'skip' in ready ? ready.skip : '');
}

export async function teardown(): Promise<void> {
  if (--shared.users > 0 || !shared.ready) return;
  const ready = await shared.ready;
  if ('up' in ready) await releaseTestCluster(ready.up, (l) => process.stdout.write(`${l}\n`));
}
