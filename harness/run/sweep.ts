// Removes leftovers by label: kconform namespaces and the cluster-scoped objects
// it created. Used by `kconform clean` after --keep or a forced exit.
import type { Kube } from '../kube/client.ts';
import { describeRef, refOf } from '../kube/types.ts';

const CLUSTER_KINDS: [string, string][] = [
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['scheduling.k8s.io/v1', 'PriorityClass'],
  ['v1', 'Namespace'],
];

export async function sweep(kube: Kube, labelSelector: string, opts: { dryRun: boolean; log(line: string): void }): Promise<number> {
  let n = 0;
  for (const [apiVersion, kind] of CLUSTER_KINDS) {
    const objs = await kube.list(apiVersion, kind, { labelSelector });
    for (const o of objs) {
      n++;
      const ref = refOf({ ...o, apiVersion, kind });
      opts.log(`${opts.dryRun ? 'would delete' : 'deleting'} ${describeRef(ref)}`);
      if (!opts.dryRun) await kube.delete(ref, { wait: kind === 'Namespace', timeoutMs: 120_000 });
    }
  }
  return n;
}
