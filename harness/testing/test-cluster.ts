// The cluster tier's kind cluster: its shape, and bringing it up (or reusing
// it). Used by the tier's globalSetup and by `npm test`, which starts it while
// the api tier runs so the two overlap.
import { kindUp } from '../cluster/kind/provider.ts';
import { kindClusters, kindDelete, provideKind } from '../cluster/kind/kind-cli.ts';
import type { KindCluster } from '../cluster/kind/provider.ts';

export const TEST_CLUSTER = process.env.KCONFORM_TEST_CLUSTER ?? 'kconform-test';

/** Set by `npm test` for the cluster tier: the cluster is up, and `npm test` deletes it. */
export const PREPARED_ENV = 'KCONFORM_TEST_CLUSTER_PREPARED';
/** The test cluster's CNI (KCONFORM_TEST_CNI, e.g. kube-router for the NetworkPolicy tests; default flannel). */
export const TEST_CNI = process.env.KCONFORM_TEST_CNI ?? 'flannel';

export interface TestClusterUp {
  handle: KindCluster;
  /** This call created it (rather than reusing one left running). */
  created: boolean;
}

/**
 * Brings the test cluster up, or reuses a running one. Under CI a running one
 * is deleted first: one left by an earlier session may be stale.
 */
export async function upTestCluster(log: (line: string) => void, signal: AbortSignal, opts: { fresh: boolean }): Promise<TestClusterUp> {
  const t0 = Date.now();
  await provideKind((l) => log(`[cluster ${Math.round((Date.now() - t0) / 1000)}s] kind ${l}`));
  let existed = (await kindClusters()).includes(TEST_CLUSTER);
  if (existed && opts.fresh) {
    log(`deleting the existing ${TEST_CLUSTER} cluster (CI starts from a clean slate)`);
    await kindDelete(TEST_CLUSTER);
    existed = false;
  }
  const handle = await kindUp(
    // A 20 s node monitor grace period (default 50 s) halves the stopped-kubelet test.
    { name: TEST_CLUSTER, nodes: 3, cni: TEST_CNI, cri: 'containerd', nodeMonitorGracePeriod: '20s', reuse: true, keep: false },
    (step, detail) => log(`[cluster ${Math.round((Date.now() - t0) / 1000)}s] ${step}${detail ? ` ${detail}` : ''}`),
    signal,
  );
  return { handle, created: !existed };
}

/**
 * The end of a run: a cluster this run created is deleted (always under CI;
 * locally unless KCONFORM_KEEP_CLUSTER=1); one it reused is left alone.
 */
export async function releaseTestCluster(up: TestClusterUp, log: (line: string) => void): Promise<void> {
  if (!up.created) return;
  if (process.env.CI !== 'true' && process.env.KCONFORM_KEEP_CLUSTER === '1') {
    log(`kept test cluster ${TEST_CLUSTER} (KCONFORM_KEEP_CLUSTER=1)`);
    return;
  }
  log(`deleting cluster ${TEST_CLUSTER}`);
  await up.handle.release().catch((err: unknown) => log(`could not delete ${TEST_CLUSTER}: ${String(err)}`));
}
