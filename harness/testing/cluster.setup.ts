// vitest globalSetup of the `cluster` tier: brings up (or reuses) the test kind
// cluster and hands its kubeconfig to the tests. A cluster this setup created is
// deleted at the end (always under CI; locally unless KCONFORM_KEEP_CLUSTER=1).
import type { TestProject } from 'vitest/node';
import { kindUp } from '../cluster/kind/provider.ts';
import { kindClusters, kindDelete } from '../cluster/kind/kind-cli.ts';
import type { ClusterHandle } from '../cluster/provider.ts';
import { dockerAvailable } from '../cluster/docker.ts';

export const TEST_CLUSTER = process.env.KCONFORM_TEST_CLUSTER ?? 'kconform-test';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    clusterName: string;
    clusterSkipReason: string;
  }
}

let handle: ClusterHandle | undefined;
let created = false;

export async function setup(project: TestProject): Promise<void> {
  project.provide('clusterName', TEST_CLUSTER);
  const skip = process.env.KCONFORM_TESTBED_SKIP ?? (await dockerAvailable().then((d) => (d.ok ? '' : `Docker is not usable: ${d.reason}`)));
  if (skip) {
    process.stdout.write(`cluster tier skipped: ${skip}\n`);
    project.provide('kubeconfig', '');
    project.provide('clusterSkipReason', skip);
    return;
  }
  let existed = (await kindClusters()).includes(TEST_CLUSTER);
  const t0 = Date.now();
  if (existed && process.env.CI === 'true') {
    // CI starts from a clean slate: a cluster left by an earlier session may be stale.
    process.stdout.write(`  deleting the existing ${TEST_CLUSTER} cluster (CI)\n`);
    await kindDelete(TEST_CLUSTER);
    existed = false;
  }
  handle = await kindUp(
    { name: TEST_CLUSTER, nodes: 3, cni: 'flannel', cri: 'containerd', reuse: true, keep: false },
    (step, detail) => process.stdout.write(`  [cluster ${Math.round((Date.now() - t0) / 1000)}s] ${step}${detail ? ` ${detail}` : ''}\n`),
    new AbortController().signal,
  );
  created = !existed;
  project.provide('kubeconfig', handle.kubeconfigPath);
  project.provide('clusterSkipReason', '');
}

export async function teardown(): Promise<void> {
  if (!handle || !created) return;
  if (process.env.CI !== 'true' && process.env.KCONFORM_KEEP_CLUSTER === '1') {
    process.stdout.write(`kept test cluster ${TEST_CLUSTER} (KCONFORM_KEEP_CLUSTER=1)\n`);
    return;
  }
  await handle.release();
}
