// The `assert` check: list the candidates once (a healthy cluster decides at
// once), then watch them until they match or `wait` runs out. The failure is the
// last observed mismatch, never "deadline exceeded". Reads only.
import type { AssertSpec } from './spec.ts';
import { WaitTimeoutError } from '../../kube/errors.ts';
import { refOf, type KubeObject } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckDefinition, CheckOutcome } from '../types.ts';
import { evaluateAssert, type AssertVerdict } from './evaluate.ts';
import { waitBudgetMs } from '../common/wait-budget.ts';

/** Left for evidence and cleanup after the wait. */
const MAX_ROWS = 20;

export const assertCheck: CheckDefinition<AssertSpec> = {
  kind: 'assert',
  proves: 'live objects match the fields the author wrote (partial match), with their UIDs and creation times as evidence',
  needs: () => ({}),
  async run(spec, ctx) {
    const r = spec.resource;
    const namespace = r.namespace ?? ctx.namespace;
    const fieldSelector = [r.fieldSelector, r.name ? `metadata.name=${r.name}` : undefined].filter(Boolean).join(',');
    const judge = (objs: KubeObject[]) => evaluateAssert(spec, objs, { namespace: ctx.namespace, now: Date.now() });

    ctx.log(`reading ${r.kind} ${r.name ?? r.labelSelector ?? ''}`.trim());
    let last = judge(
      await ctx.kube.list(r.apiVersion, r.kind, {
        namespace,
        ...(r.labelSelector ? { labelSelector: r.labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
        signal: ctx.signal,
      }),
    );
    const waitMs = waitBudgetMs(spec.wait, ctx);
    if (!last.ok && waitMs > 0) {
      ctx.log(`waiting up to ${Math.round(waitMs / 1000)}s: ${last.line}`);
      try {
        await ctx.kube.waitFor(
          r.apiVersion,
          r.kind,
          { namespace, ...(r.name ? { name: r.name } : {}), ...(r.labelSelector ? { labelSelector: r.labelSelector } : {}), ...(r.fieldSelector ? { fieldSelector: r.fieldSelector } : {}) },
          (objs) => {
            last = judge(objs);
            return { done: last.ok, observed: last.line };
          },
          { description: last.target, timeoutMs: waitMs, signal: ctx.signal },
        );
      } catch (err) {
        // The verdict of the last observed state is the answer, not the timeout.
        if (!(err instanceof WaitTimeoutError)) throw err;
      }
    }
    return outcomeOf(last);
  },
};

function outcomeOf(v: AssertVerdict): CheckOutcome {
  const evidence: Evidence[] = [];
  if (v.candidates.length) {
    evidence.push({
      kind: 'table',
      title: `candidates: ${v.target}`,
      columns: ['object', 'uid', 'created', 'resourceVersion', 'matches'],
      rows: v.candidates.slice(0, MAX_ROWS).map((c) => [
        c.object.metadata.name ?? '',
        c.object.metadata.uid ?? '',
        c.object.metadata.creationTimestamp ?? '',
        c.object.metadata.resourceVersion ?? '',
        c.matches ? 'yes' : 'no',
      ]),
    });
  }
  if (v.refused.length) evidence.push({ kind: 'text', title: 'refused (not live)', text: v.refused.map((r) => `${r.name}: ${r.why}`).join('\n') });
  if (v.ok) return { status: 'pass', reason: v.line, evidence, assertions: v.assertions };
  if (v.diff.length) evidence.push({ kind: 'text', title: `mismatch${v.shown ? ` (${v.shown.object.metadata.name})` : ''}`, text: v.diff.join('\n') });
  if (v.pruned !== undefined) evidence.push({ kind: 'object', title: `asserted fields of ${v.shown?.object.metadata.name ?? 'the object'} as found`, object: v.pruned });
  const involved = v.candidates.slice(0, 6).map((c) => refOf(c.object));
  return { status: 'fail', reason: v.line, evidence, assertions: v.assertions, involved };
}
