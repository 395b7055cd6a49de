// Eviction mode "taint": three idle pods pinned to a worker (no toleration; a
// toleration without tolerationSeconds; one with tolerationSeconds N), then a
// NoExecute taint kconform.io/evict-test-<runId> on that worker. Every pod event
// is recorded; each pod's eviction time (from the taint write) is judged against
// its toleration. The taint's removal is registered before it is added.
import type { EvictionSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { Assertion, Evidence } from '../../results/model.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import { EventRecorder, type Recorded } from '../common/event-recorder.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { chooseWorker, leftovers, nodeFacts, testTaintKey } from './nodes.ts';
import { addTaint, readNodes } from './node-ops.ts';
import { evaluateTaint, type Eviction, type TaintPod, type Tolerance } from './taint-timing.ts';
import { evictionNames, taintPod, taintPodName } from './workload.ts';

export async function runTaintMode(spec: EvictionSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const n = evictionNames(spec.name ?? spec.kind, ctx.attempt);
  const seconds = spec.tolerationSeconds ?? 5;
  const toleranceMs = parseDuration(spec.tolerance ?? '3s');
  const readyMs = Math.min(parseDuration(spec.readyTimeout ?? '60s'), ctx.remainingMs());
  const key = testTaintKey(ctx.runId);

  const facts = (await readNodes(ctx)).map(nodeFacts);
  const left = leftovers(facts);
  if (left.length) return { status: 'fail', reason: left[0]! + (left.length > 1 ? ` (+${left.length - 1} more)` : ''), evidence: [{ kind: 'text', title: 'left by earlier runs', text: left.join('\n') }] };
  const chosen = chooseWorker(facts, spec.node ? { requested: spec.node } : {});
  if ('problem' in chosen) {
    // A cluster without a usable worker cannot take this check; a named node that cannot be used is a failure.
    return spec.node ? { status: 'fail', reason: chosen.problem } : { status: 'skip', reason: `the taint check needs a schedulable worker: ${chosen.problem}` };
  }
  const node = chosen.node;

  const cases: Tolerance[] = ['none', 'forever', seconds];
  const pods: TaintPod[] = cases.map((t) => ({ name: taintPodName(n, t), tolerance: t }));
  const involved: ObjectRef[] = pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', name: p.name, namespace: ctx.namespace }));
  ctx.log(`creating ${pods.length} pods on node ${node}`);
  for (const t of cases) await createTracked(ctx, taintPod(n, { namespace: ctx.namespace, image: ctx.images.agnhost, node, taintKey: key, tolerance: t }));
  const selector = `kconform.io/check=${n.base},kconform.io/role=tainted`;
  const ready = await waitPodsReady(ctx, pods.map((p) => p.name), selector, readyMs);
  if (ready.notReady.length) return { status: 'fail', reason: ready.notReady.map((p) => `pod ${p.name} not Ready: ${p.state}`).join('; '), involved };

  const recorder = EventRecorder.start(ctx.kube, [{ apiVersion: 'v1', kind: 'Pod', sel: { namespace: ctx.namespace, labelSelector: selector } }], ctx.signal);
  const forgetRecorder = ctx.cleanup.add('stop watching pods', () => recorder.stop().catch(() => undefined));
  const seenAll = await recorder.until((ev) => new Set(ev.map((e) => e.object.metadata.name)).size >= pods.length, 15_000, ctx.signal);
  if (!seenAll) throw new Error('the pod watch did not list the 3 pods within 15s');

  ctx.log(`tainting node ${node} with ${key}:NoExecute`);
  const tainted = await addTaint(ctx, node, { key, effect: 'NoExecute' });
  const t0 = tainted.doneAt - recorder.origin;
  const firstDeletion = (ev: readonly Recorded[], name: string) =>
    ev.find((e) => e.t >= t0 - (tainted.doneAt - tainted.sentAt) && e.object.metadata.name === name && (e.type === 'DELETED' || !!e.object.metadata.deletionTimestamp));

  // Until both evictable pods went, then until the window in which the forever pod must stay has passed.
  const evictable = pods.filter((p) => p.tolerance !== 'forever').map((p) => p.name);
  const windowMs = seconds * 1000 + toleranceMs + 1_000;
  await recorder.until((ev) => evictable.every((name) => firstDeletion(ev, name)), Math.min(windowMs + 10_000, ctx.remainingMs() - 15_000), ctx.signal);
  const forever = taintPodName(n, 'forever');
  const rest = tainted.doneAt + windowMs - Date.now();
  if (rest > 0) await recorder.until((ev) => !!firstDeletion(ev, forever), rest, ctx.signal);
  const watchedMs = Date.now() - tainted.doneAt;

  ctx.log(`removing the taint from node ${node}`);
  await tainted.remove();
  forgetRecorder();
  const events = await recorder.stop();
  const after = await ctx.kube.get<NodeObject>({ apiVersion: 'v1', kind: 'Node', name: node });
  const taintLeft = (after?.spec?.taints ?? []).some((t) => t.key === key);

  const seen: Eviction[] = pods.flatMap((p) => {
    const e = firstDeletion(events, p.name);
    if (!e) return [];
    const cond = (e.object['status'] as { conditions?: { type: string; reason?: string }[] } | undefined)?.conditions?.find((c) => c.type === 'DisruptionTarget');
    // The deletion may be reported a moment before the taint write returns: never negative.
    return [{ name: p.name, afterMs: Math.max(0, e.t - t0), ...(cond?.reason ? { reason: cond.reason } : {}) }];
  });
  const v = evaluateTaint(pods, seen, { toleranceMs, watchedMs });
  const problems = [...v.problems, ...(taintLeft ? [`taint ${key} is still on node ${node} after its removal`] : [])];
  const evidence: Evidence[] = [
    { kind: 'table', title: `NoExecute taint ${key} on node ${node} (tolerance ±${(toleranceMs / 1000).toFixed(1)}s)`, columns: ['pod', 'expected', 'observed', 'DisruptionTarget', 'ok'], rows: v.rows },
  ];
  const assertions: Assertion[] = [
    { name: 'a pod without toleration is evicted at once', passed: !v.problems.some((p) => p.includes(taintPodName(n, 'none'))) },
    { name: 'a pod tolerating without tolerationSeconds stays', passed: !v.problems.some((p) => p.includes(forever)) },
    { name: `a pod with tolerationSeconds ${seconds} is evicted after about ${seconds}s`, passed: !v.problems.some((p) => p.includes(taintPodName(n, seconds))) },
    { name: 'the taint is removed afterwards', passed: !taintLeft },
  ];
  if (problems.length === 0) {
    const at = (name: string) => `${((seen.find((s) => s.name === name)?.afterMs ?? 0) / 1000).toFixed(1)}s`;
    return {
      status: 'pass',
      reason:
        `NoExecute taint on ${node}: ${taintPodName(n, 'none')} evicted after ${at(taintPodName(n, 'none'))}, ` +
        `${taintPodName(n, seconds)} after ${at(taintPodName(n, seconds))} (tolerationSeconds ${seconds}, ±${(toleranceMs / 1000).toFixed(0)}s), ` +
        `${forever} kept for ${(watchedMs / 1000).toFixed(1)}s; taint removed`,
      evidence,
      assertions,
    };
  }
  return { status: 'fail', reason: `${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence, assertions, involved };
}
