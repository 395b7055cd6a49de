// Undoes what an interrupted or killed run left on the nodes: kconform's cordon
// (only on nodes carrying the kconform.io/cordoned-by mark) and its
// kconform.io/evict-test-* taints. Meant for `kconform clean`; nodes nobody
// marked are never touched.
import type { Kube } from '../../kube/client.ts';
import { KubeApiError } from '../../kube/errors.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { nodeFacts, testTaintKey, uncordonPatch, withoutTaint, type Taint } from './nodes.ts';
import { TAINT_PREFIX } from '../../cluster/marks.ts';

export interface SweepNodesOptions {
  dryRun: boolean;
  log(line: string): void;
  /** Leave this run's marks alone (a run still in progress). */
  exceptRun?: string;
  /** Only this run's marks (`kconform clean --run ID`). */
  onlyRun?: string;
}

/** Returns how many nodes were (or, with dryRun, would be) restored. */
export async function sweepNodes(kube: Kube, opts: SweepNodesOptions): Promise<number> {
  let n = 0;
  const keep = opts.exceptRun !== undefined ? testTaintKey(opts.exceptRun) : undefined;
  for (const node of await kube.list<NodeObject>('v1', 'Node')) {
    const f = nodeFacts(node);
    const wanted = (run: string | undefined) => run !== undefined && run !== opts.exceptRun && (opts.onlyRun === undefined || run === opts.onlyRun);
    const cordoned = wanted(f.cordonedBy);
    const taints = f.testTaints.filter((t) => t.key !== keep && wanted(t.key.slice(TAINT_PREFIX.length)));
    if (!cordoned && taints.length === 0) continue;
    n++;
    const what = [cordoned ? `uncordon (marked by run ${f.cordonedBy})` : '', ...taints.map((t) => `remove taint ${t.key}:${t.effect}`)].filter(Boolean).join(', ');
    opts.log(`${opts.dryRun ? 'would' : 'node'} ${f.name}: ${what}`);
    if (opts.dryRun) continue;
    if (cordoned) await kube.patch({ apiVersion: 'v1', kind: 'Node', name: f.name }, uncordonPatch(), 'merge');
    for (let attempt = 1; taints.length > 0; attempt++) {
      const live = await kube.get<NodeObject>({ apiVersion: 'v1', kind: 'Node', name: f.name });
      if (!live) break;
      let next = (live.spec?.taints ?? []) as Taint[];
      for (const t of taints) next = withoutTaint(next, t.key);
      try {
        await kube.patch({ apiVersion: 'v1', kind: 'Node', name: f.name }, { metadata: { resourceVersion: live.metadata.resourceVersion }, spec: { taints: next } }, 'merge');
        break;
      } catch (err) {
        if (!(err instanceof KubeApiError && err.status === 409 && attempt < 5)) throw err;
      }
    }
  }
  return n;
}
