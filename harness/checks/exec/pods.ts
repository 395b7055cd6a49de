// Finding the pods a command or request runs in: by name or label selector,
// watched until the containers run (or it is clear they never will), so a
// check fails with the pod's state in words ("Pending: 0/2 nodes available...")
// rather than an exec error. Shared by the exec and http checks.
import type { CheckContext } from '../types.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import { whyNotRunning } from '../../kube/exec.ts';
import { podState, type NodeObject, type PodObject } from '../../kube/objects.ts';

export interface PodTarget {
  namespace: string;
  name?: string;
  selector?: string;
  /** Containers that must run (default: the pod's default container). */
  containers?: string[];
  /** Every matching pod, not just the first running one by name. */
  all?: boolean;
}

export interface TargetPods {
  /** Pods to use (running), sorted by name. */
  pods: PodObject[];
  /** Why the target is not usable, in words; undefined when `pods` is usable. */
  problem?: string;
}

/** Waiting reasons that will not clear by themselves within a check's time. */
const HOPELESS = /^(ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|CrashLoopBackOff|CreateContainerConfigError|CreateContainerError|RunContainerError)/;

export function describeTarget(t: PodTarget): string {
  return t.name ? `pod ${t.name} (ns ${t.namespace})` : `pods ${t.selector} (ns ${t.namespace})`;
}

export function defaultContainer(p: PodObject): string {
  return p.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? p.spec?.containers?.[0]?.name ?? '';
}

/** Pure: the usable pods among `pods`, or the problem, and whether waiting could help. */
export function judgeTargets(t: PodTarget, pods: PodObject[]): TargetPods & { final: boolean } {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  if (live.length === 0) return { pods: [], problem: t.name ? `${describeTarget(t)} not found` : `no pod matches ${t.selector} (ns ${t.namespace})`, final: false };
  const verdicts = live.map((p) => {
    const wanted = t.containers?.length ? t.containers : [defaultContainer(p)];
    const names = p.spec?.containers?.map((c) => c.name) ?? [];
    const missing = wanted.filter((c) => names.length > 0 && !names.includes(c));
    if (missing.length) return { p, problem: `pod ${p.metadata.name} has no container ${missing.join(', ')} (containers: ${names.join(', ')})`, final: true };
    const down = wanted.map((c) => whyNotRunning(p, c)).find((w) => w !== undefined);
    if (!down) return { p, problem: undefined, final: true };
    const state = podState(p);
    return { p, problem: `pod ${p.metadata.name} not running: ${state}`, final: HOPELESS.test(state) };
  });
  const good = verdicts.filter((v) => !v.problem).map((v) => v.p);
  if (t.all) {
    const bad = verdicts.find((v) => v.problem);
    return bad ? { pods: good, problem: bad.problem, final: verdicts.every((v) => !v.problem || v.final) } : { pods: good, final: true };
  }
  if (good.length) return { pods: [good[0]!], final: true };
  const first = verdicts[0]!;
  return { pods: [], problem: first.problem, final: verdicts.every((v) => v.final) };
}

/**
 * The taints of the nodes, in words: the scheduler says only "untolerated
 * taint(s)", and which taint it is (not-ready: no CNI; control-plane: no
 * worker) is the whole diagnosis.
 */
export function nodeTaints(nodes: NodeObject[]): string {
  const parts = nodes
    .filter((n) => (n.spec?.taints ?? []).length > 0)
    .map((n) => `${n.metadata.name}: ${(n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`);
  return parts.length ? `node taints: ${parts.join('; ')}` : 'no node has taints';
}

/** Watches the target until usable, hopeless, or `timeoutMs`; never throws on timeout. */
export async function waitTargetPods(ctx: CheckContext, t: PodTarget, timeoutMs: number): Promise<TargetPods> {
  const sel = { namespace: t.namespace, ...(t.name ? { name: t.name } : {}), ...(t.selector ? { labelSelector: t.selector } : {}) };
  let last: TargetPods & { final: boolean } = judgeTargets(t, await ctx.kube.list<PodObject>('v1', 'Pod', { namespace: t.namespace, ...(t.name ? { fieldSelector: `metadata.name=${t.name}` } : {}), ...(t.selector ? { labelSelector: t.selector } : {}), signal: ctx.signal }));
  if (last.problem === undefined || last.final || timeoutMs <= 0) return strip(last);
  try {
    await ctx.kube.waitFor<PodObject>(
      'v1',
      'Pod',
      sel,
      (pods) => {
        last = judgeTargets(t, pods);
        return { done: last.problem === undefined || last.final, observed: last.problem ?? 'running' };
      },
      { description: `${describeTarget(t)} to run`, timeoutMs, signal: ctx.signal },
    );
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
  }
  if (last.problem && /untolerated taint/.test(last.problem)) {
    const nodes = await ctx.kube.list<NodeObject>('v1', 'Node', { signal: ctx.signal }).catch(() => undefined);
    if (nodes) last = { ...last, problem: `${last.problem} (${nodeTaints(nodes)})` };
  }
  return strip(last);
}

function strip(v: TargetPods & { final: boolean }): TargetPods {
  return v.problem === undefined ? { pods: v.pods } : { pods: v.pods, problem: v.problem };
}
