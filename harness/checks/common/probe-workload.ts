// The I/O side of probe workloads: create (and register the undo on the next
// line), wait until the pods are Ready through a watch, run a script in one.
import type { CheckContext } from '../types.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import { refOf, type ExecResult, type KubeObject } from '../../kube/types.ts';
import { podReady, podState, type PodObject } from '../../kube/objects.ts';
import { readyEndpoints, type EndpointSliceObject } from './probe-slices.ts';

/** Creates the object in the cluster and registers its deletion right away. */
export async function createTracked<T extends KubeObject = KubeObject>(ctx: CheckContext, obj: KubeObject): Promise<T> {
  const created = await ctx.kube.create<T>(obj, { signal: ctx.signal });
  const ref = refOf(obj);
  ctx.cleanup.add(`delete ${obj.kind} ${ref.name}`, () =>
    ctx.kube.delete(ref, obj.kind === 'Pod' ? { gracePeriodSeconds: 0 } : {}),
  );
  return created;
}

export async function createAllTracked(ctx: CheckContext, objs: KubeObject[]): Promise<void> {
  await Promise.all(objs.map((o) => createTracked(ctx, o)));
}

/** Waiting reasons that will not clear by themselves within a check's time. */
const HOPELESS = /^(ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|CrashLoopBackOff|CreateContainerConfigError|CreateContainerError|RunContainerError)/;

export interface PodsReady {
  /** The pods as last seen, by name (absent when never created or already gone). */
  pods: Map<string, PodObject>;
  /** Pods that were not Ready when the wait ended, with their state in words. */
  notReady: { name: string; state: string }[];
  waitedMs: number;
}

/**
 * Watches the pods under `labelSelector` until every one of `names` is Ready,
 * or each not-Ready one is stuck (image missing, crash loop), or `timeoutMs`
 * passes. Never throws on timeout: the caller decides what missing pods mean.
 */
export async function waitPodsReady(ctx: CheckContext, names: string[], labelSelector: string, timeoutMs: number): Promise<PodsReady> {
  const start = Date.now();
  const sel = { namespace: ctx.namespace, labelSelector };
  const judge = (pods: PodObject[]) => {
    const byName = new Map(pods.map((p) => [p.metadata.name ?? '', p]));
    const notReady = names
      .filter((n) => !byName.get(n) || !podReady(byName.get(n)!))
      .map((n) => ({ name: n, state: byName.get(n) ? podState(byName.get(n)!) : 'not created' }));
    return { byName, notReady };
  };
  let last: PodObject[] = [];
  try {
    last = await ctx.kube.waitFor<PodObject>(
      'v1',
      'Pod',
      sel,
      (pods) => {
        last = pods;
        const { notReady } = judge(pods);
        const stuck = notReady.every((p) => HOPELESS.test(p.state));
        return {
          done: notReady.length === 0 || stuck,
          observed: notReady.length === 0 ? 'all Ready' : `${names.length - notReady.length}/${names.length} Ready; ${notReady.map((p) => `${p.name}: ${p.state}`).join(', ')}`,
        };
      },
      { description: `${names.length} probe pod(s) to be Ready`, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    last = await ctx.kube.list<PodObject>('v1', 'Pod', { ...sel, signal: ctx.signal });
  }
  const { byName, notReady } = judge(last);
  return { pods: byName, notReady, waitedMs: Date.now() - start };
}

/** Runs a POSIX sh script in the pod's first container. */
export async function execScript(ctx: CheckContext, pod: string, script: string, timeoutMs: number): Promise<ExecResult> {
  return ctx.kube.exec({ namespace: ctx.namespace, name: pod }, ['sh', '-c', script], { timeoutMs, signal: ctx.signal });
}

export function podIpOf(p: PodObject | undefined): string | undefined {
  return p?.status?.podIP || undefined;
}

/**
 * Watches a Service's EndpointSlices until every one of `endpoints` (pod names)
 * is listed ready, or the time is up; returns the slices as last seen either way.
 */
export async function waitSlices(ctx: CheckContext, svc: string, endpoints: string[], timeoutMs: number): Promise<EndpointSliceObject[]> {
  const sel = { namespace: ctx.namespace, labelSelector: `kubernetes.io/service-name=${svc}` };
  try {
    return await ctx.kube.waitFor<KubeObject & EndpointSliceObject>(
      'discovery.k8s.io/v1',
      'EndpointSlice',
      sel,
      (slices) => {
        const listed = readyEndpoints(slices);
        const missing = endpoints.filter((e) => !listed.includes(e));
        return { done: missing.length === 0, observed: missing.length === 0 ? 'all listed' : `not listed: ${missing.join(', ')}` };
      },
      { description: `Service ${svc} to list its endpoints`, timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    return ctx.kube.list<KubeObject & EndpointSliceObject>('discovery.k8s.io/v1', 'EndpointSlice', { ...sel, signal: ctx.signal });
  }
}
