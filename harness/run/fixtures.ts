// Applies a suite's fixtures (server-side apply) and waits for their workloads.
import type { Kube } from '../kube/client.ts';
import type { KubeObject } from '../kube/types.ts';
import { describeRef, refOf } from '../kube/types.ts';
import type { PlannedFixture } from '../plan/plan.ts';
import { isClusterScoped } from '../plan/scope.ts';
import type { Cleanup } from '../checks/cleanup.ts';

interface Workload extends KubeObject {
  spec?: { replicas?: number };
  status?: Record<string, unknown> & {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

export async function applyFixtures(
  kube: Kube,
  fixtures: PlannedFixture[],
  cleanup: Cleanup,
  opts: { timeoutMs: number; signal: AbortSignal; progress(m: string): void },
): Promise<void> {
  for (const f of fixtures) {
    opts.progress(`applying ${f.origin}`);
    // Cluster-scoped objects outlive the namespace: each gets its own undo step.
    for (const o of f.objects.filter((x) => isClusterScoped(x.kind))) {
      cleanup.add(`delete ${describeRef(refOf(o))}`, () => kube.delete(refOf(o), { wait: true, timeoutMs: 60_000 }));
    }
    await kube.apply(f.objects, { signal: opts.signal });
  }
  for (const f of fixtures.filter((x) => x.wait)) {
    for (const o of f.objects) {
      const cond = readiness(o.kind);
      if (!cond) continue;
      opts.progress(`waiting for ${describeRef(refOf(o))}`);
      await kube.waitFor<Workload>(
        o.apiVersion,
        o.kind,
        { name: o.metadata.name!, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) },
        (objs) => {
          const w = objs[0];
          if (!w) return { done: false, observed: 'not created yet' };
          return cond(w);
        },
        { description: `fixture ${describeRef(refOf(o))} to be ready`, timeoutMs: opts.timeoutMs, signal: opts.signal },
      );
    }
  }
}

type Readiness = (w: Workload) => { done: boolean; observed: string };

function readiness(kind: string): Readiness | undefined {
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return (w) => {
        const want = w.spec?.replicas ?? 1;
        const ready = Number(w.status?.readyReplicas ?? 0);
        const updated = Number(w.status?.updatedReplicas ?? 0);
        return { done: ready >= want && updated >= want, observed: `${ready}/${want} ready, ${updated} updated` };
      };
    case 'DaemonSet':
      return (w) => {
        const want = Number(w.status?.desiredNumberScheduled ?? -1);
        const ready = Number(w.status?.numberReady ?? 0);
        return { done: want >= 0 && ready >= want, observed: `${ready}/${want < 0 ? '?' : want} ready` };
      };
    case 'Pod':
      return (w) => {
        const phase = String(w.status?.phase ?? 'Pending');
        const ready = w.status?.conditions?.find((c) => c.type === 'Ready');
        const sched = w.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
        return {
          done: ready?.status === 'True' || phase === 'Succeeded',
          observed: sched ? `unschedulable: ${sched.message ?? sched.reason}` : `phase ${phase}${ready?.message ? `, ${ready.message}` : ''}`,
        };
      };
    default:
      return undefined;
  }
}
