// The I/O steps of the rollout check on its Deployment: change the template,
// wait for the rollout (complete or stuck), roll back like kubectl, and read
// which pods and ReplicaSets run which version.
import type { CheckContext } from '../types.ts';
import { AbortedError, WaitTimeoutError } from '../../kube/errors.ts';
import type { PodObject } from '../../kube/objects.ts';
import { firstNewPodProblem, problemWords, type PodProblem } from './new-pod-problems.ts';
import type { KubeObject } from '../../kube/types.ts';
import { versionOf } from '../common/version-probe.ts';
import { isActive, type PodLite } from './invariants.ts';
import { chooseRollback, revisionOf, rollbackPatch, type DeploymentLike, type ReplicaSetLike, type RollbackChoice } from './history.ts';
import { revisionNumber, rolloutState, type DeploymentStatusLike } from './status.ts';

export type DeploymentObject = KubeObject & DeploymentStatusLike & DeploymentLike;
type PodWithSpec = KubeObject & PodLite & { spec?: { containers?: { name?: string; env?: { name: string; value?: string }[] }[]; nodeName?: string } };
type ReplicaSetObject = KubeObject & ReplicaSetLike & { spec?: { replicas?: number; template?: { spec?: { containers?: { name?: string; env?: { name: string; value?: string }[] }[] } } } };

const ref = (ctx: CheckContext, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ctx.namespace });

export async function readDeployment(ctx: CheckContext, name: string): Promise<DeploymentObject> {
  const d = await ctx.kube.get<DeploymentObject>(ref(ctx, name), { signal: ctx.signal });
  if (!d) throw new Error(`Deployment ${name} disappeared`);
  return d;
}

/** Replaces the pod template (a new revision), optionally with other spec fields. */
export async function setTemplate(ctx: CheckContext, name: string, template: unknown, extra: { progressDeadlineSeconds?: number } = {}): Promise<DeploymentObject> {
  const ops: unknown[] = [{ op: 'replace', path: '/spec/template', value: template }];
  if (extra.progressDeadlineSeconds !== undefined) ops.push({ op: 'replace', path: '/spec/progressDeadlineSeconds', value: extra.progressDeadlineSeconds });
  return ctx.kube.patch<DeploymentObject>(ref(ctx, name), ops, 'json', { signal: ctx.signal });
}

export async function setProgressDeadline(ctx: CheckContext, name: string, seconds: number): Promise<void> {
  await ctx.kube.patch(ref(ctx, name), { spec: { progressDeadlineSeconds: seconds } }, 'merge', { signal: ctx.signal });
}

export interface RolloutWait {
  reached: boolean;
  tookMs: number;
  state: string;
  deployment?: DeploymentObject;
  /** A pod of the new revision showed why it will not become Ready: the wait ended there. */
  podProblem?: PodProblem;
}

/** Which pods belong to the revision being rolled out (watched for a named cause). */
export interface NewPods {
  selector: string;
  isNew(p: PodObject): boolean;
}

/**
 * Watches the Deployment until the rollout is complete (or, with `stuck`, until
 * it reports ProgressDeadlineExceeded). With `newPods`, the pods are watched too
 * and the first new pod that cannot become Ready ends the wait at once.
 */
export async function waitRollout(ctx: CheckContext, name: string, until: 'complete' | 'stuck', timeoutMs: number, newPods?: NewPods): Promise<RolloutWait> {
  const start = Date.now();
  let last: DeploymentObject | undefined;
  let words = 'not seen yet';
  let problem: PodProblem | undefined;
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const podWatch = newPods
    ? ctx.kube
        .waitFor<PodObject>(
          'v1',
          'Pod',
          { namespace: ctx.namespace, labelSelector: newPods.selector },
          (pods) => {
            const pp = firstNewPodProblem(pods, newPods.isNew);
            if (pp && !problem) {
              problem = pp;
              stop.abort(new Error('a new pod shows a named cause'));
            }
            return { done: !!pp, observed: pp ? problemWords(pp) : 'no new pod in trouble' };
          },
          { description: `pods of Deployment ${name}'s new revision`, timeoutMs: Math.max(1, timeoutMs), signal },
        )
        .catch(() => undefined)
    : Promise.resolve(undefined);
  try {
    await ctx.kube.waitFor<DeploymentObject>(
      'apps/v1',
      'Deployment',
      { namespace: ctx.namespace, name },
      (ds) => {
        last = ds[0];
        if (!last) return { done: false, observed: (words = 'Deployment not found') };
        const s = rolloutState(last);
        words = s.words;
        // Waiting for completion, a stuck rollout will not complete: stop at once.
        return { done: until === 'complete' ? s.complete || s.stuck : s.stuck || s.complete, observed: s.words };
      },
      { description: `Deployment ${name} rollout to be ${until}`, timeoutMs: Math.max(1, timeoutMs), signal },
    );
  } catch (err) {
    const ours = err instanceof AbortedError && stop.signal.aborted && !ctx.signal.aborted;
    if (!(err instanceof WaitTimeoutError) && !ours) throw err;
  } finally {
    stop.abort();
    await podWatch;
  }
  const s = last ? rolloutState(last) : undefined;
  const reached = !!s && (until === 'complete' ? s.complete : s.stuck);
  // A rollout that completed anyway is complete; the named cause explains one that did not.
  const named = !reached && problem ? { podProblem: problem, state: `${problemWords(problem)} (${words})` } : { state: words };
  return { reached, tookMs: Date.now() - start, ...named, ...(last ? { deployment: last } : {}) };
}

export async function listReplicaSets(ctx: CheckContext, selector: string): Promise<ReplicaSetObject[]> {
  return ctx.kube.list<ReplicaSetObject>('apps/v1', 'ReplicaSet', { namespace: ctx.namespace, labelSelector: selector, signal: ctx.signal });
}

/** Rolls back as `kubectl rollout undo [--to-revision]`: the chosen ReplicaSet's template, patched in. */
export async function rollBack(ctx: CheckContext, name: string, selector: string, toRevision = 0): Promise<RollbackChoice> {
  const [d, sets] = await Promise.all([readDeployment(ctx, name), listReplicaSets(ctx, selector)]);
  const choice = chooseRollback(d, sets, toRevision);
  if (choice.ok) await ctx.kube.patch(ref(ctx, name), rollbackPatch(choice), 'json', { signal: ctx.signal });
  return choice;
}

/** The ReplicaSet carrying the Deployment's current revision (the one a rollout scales up). */
export async function currentReplicaSet(ctx: CheckContext, name: string, selector: string): Promise<string> {
  const [d, sets] = await Promise.all([readDeployment(ctx, name), listReplicaSets(ctx, selector)]);
  const rev = revisionNumber(d);
  return sets.find((rs) => revisionOf(rs) === rev)?.metadata.name ?? '(none)';
}

/** Version and revision of each ReplicaSet, by name (for timeline labels). */
export async function replicaSetVersions(ctx: CheckContext, selector: string): Promise<Map<string, { version: string; revision: number }>> {
  const sets = await listReplicaSets(ctx, selector);
  return new Map(sets.map((rs) => [rs.metadata.name ?? '', { version: versionOf(rs.spec?.template?.spec) ?? '?', revision: revisionOf(rs) ?? 0 }]));
}

/** Active pods that do not run `version`, in words; empty when every active pod does. */
export async function podsNotOn(ctx: CheckContext, selector: string, version: string): Promise<string> {
  const pods = await ctx.kube.list<PodWithSpec>('v1', 'Pod', { namespace: ctx.namespace, labelSelector: selector, signal: ctx.signal });
  return pods
    .filter((p) => isActive(p) && versionOf(p.spec) !== version)
    .map((p) => `${p.metadata.name} runs ${versionOf(p.spec) ?? 'no version'}`)
    .join(', ');
}
