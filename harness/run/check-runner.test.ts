import { describe, expect, it, vi } from 'vitest';
import { DEADLINE_GRACE_MS, VERDICT_MARGIN_MS } from './deadline.ts';
import { runCheck } from './check-runner.ts';
import type { CheckDefinition, CheckOutcome } from '../checks/types.ts';
import type { Plan, PlannedCheck } from '../plan/plan.ts';
import { FakeKube } from '../testing/fake-kube.ts';
import { WaitTimeoutError } from '../kube/errors.ts';
import { shapeOf } from '../cluster/shape.ts';
import type { NodeObject } from '../kube/objects.ts';

function plan(over: Partial<Plan['options']> = {}): Plan {
  return { runId: 'abc123', nonce: 'n0nce', suites: [], images: { agnhost: 'agnhost:test' }, options: { parallel: 1, keep: 'never', readOnly: false, evidence: 'failure', ...over } };
}

function planned(over: Partial<PlannedCheck> = {}): PlannedCheck {
  return { id: 's/c', name: 'c', spec: { kind: 'nodes' }, timeoutMs: 2_000, retries: 0, ...over };
}

function def(run: CheckDefinition['run'], destructive = false): CheckDefinition {
  return { kind: 'nodes', proves: 'test', needs: () => ({ destructive }), run };
}

function deps(definition: CheckDefinition, p = plan(), signal = new AbortController().signal) {
  return { kube: new FakeKube().asKube(), plan: p, suite: { name: 's', namespace: 'kconform-s-abc123' }, definition, runSignal: signal, progress: () => {} };
}

const pass: CheckOutcome = { status: 'pass', reason: 'all good' };

describe('runCheck', () => {
  it('makes a check the leftovers of an earlier run block an error naming them, before any shape skip', async () => {
    const worker = (name: string): NodeObject => ({
      apiVersion: 'v1', kind: 'Node', metadata: { name, annotations: { 'kconform.io/cordoned-by': 'old123' } },
      spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const shape = shapeOf([worker('w1'), worker('w2')], [], 'mode: iptables');
    let ran = false;
    const d: CheckDefinition = { kind: 'nodes', proves: 'test', needs: () => ({ destructive: true, minSchedulableWorkers: 2 }), run: async () => { ran = true; return pass; } };
    const r = await runCheck(planned(), { ...deps(d), shape });
    expect(ran).toBe(false);
    expect(r.status).toBe('error');
    expect(r.reason).toBe('c needs 2 schedulable workers; this cluster has 0 because of marks left by earlier runs: kconform run old123 left node w1: cordon (annotation kconform.io/cordoned-by=old123); node w2: cordon (annotation kconform.io/cordoned-by=old123); remove with: kconform clean --run old123');
    // --read-only skips destructive checks whatever the nodes carry.
    const ro = await runCheck(planned(), { ...deps(d, plan({ readOnly: true })), shape });
    expect(ro.status).toBe('skip');
  });

  it('passes through a passing outcome with no evidence collected', async () => {
    const r = await runCheck(planned(), deps(def(async () => pass)));
    expect(r.status).toBe('pass');
    expect(r.reason).toBe('all good');
    expect(r.flaky).toBe(false);
    expect(r.evidence).toEqual([]);
  });

  it('reports a deadline as undecided (error) with the last step, not as a failure', async () => {
    const r = await runCheck(
      planned({ timeoutMs: 50 }),
      deps(def(async (_s, ctx) => {
        ctx.log('waiting for pods');
        await new Promise((res) => setTimeout(res, 5_000));
        return pass;
      })),
    );
    expect(r.status).toBe('error');
    expect(r.reason).toBe('undecided: no verdict within the 0.1s deadline; last step: waiting for pods');
    expect(r.durationMs).toBeLessThan(2_000);
  });

  it('keeps a 1s deadline within half a second although evidence collection hangs and cleanup is slow', async () => {
    // Fake timers: the runner's own arithmetic is what is proven, not how late a loaded machine's timers fire.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const kube = new FakeKube();
      kube.events = () => new Promise(() => {}); // an API server that no longer answers
      const d = { ...deps(def(async (_s, ctx) => {
        ctx.cleanup.add('slow undo', () => new Promise((res) => setTimeout(res, 300)));
        await new Promise((res) => setTimeout(res, 10_000)); // ignores the signal: the runner must not wait for it
        return pass;
      })), kube: kube.asKube() };
      const t0 = Date.now();
      let settledAt = 0;
      const running = runCheck(planned({ timeoutMs: 1_000 }), d).finally(() => { settledAt = Date.now(); });
      await vi.advanceTimersByTimeAsync(5_000);
      const r = await running;
      expect(r.status).toBe('error');
      expect(r.durationMs).toBeGreaterThanOrEqual(1_000);
      expect(r.durationMs).toBeLessThanOrEqual(1_000 + DEADLINE_GRACE_MS - VERDICT_MARGIN_MS);
      expect(r.cleanupMs).toBe(300);
      expect(r.evidence.some((e) => e.kind === 'text' && e.text.includes('evidence collection stopped 500 ms after the deadline'))).toBe(true);
      // The check's own 10 s wait was not waited for: the result came with the verdict and the cleanup.
      expect(settledAt - t0).toBe(r.durationMs + 300);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps what the evidence had decided before the deadline', async () => {
    const r = await runCheck(
      planned({ timeoutMs: 50 }),
      deps(def(async (_s, ctx) => {
        ctx.decide?.({ status: 'fail', reason: 'image nope:1 cannot be pulled (pod web-2: ErrImagePull)' });
        await new Promise((res) => setTimeout(res, 5_000));
        return pass;
      })),
    );
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('image nope:1 cannot be pulled (pod web-2: ErrImagePull) (decided before the 0.1s deadline ended the check)');
  });

  it('reads a wait cut short by the deadline as the deadline, with what the wait last saw', async () => {
    const r = await runCheck(
      planned({ timeoutMs: 100 }),
      deps(def(async (_s, ctx) => {
        await new Promise((res) => setTimeout(res, ctx.remainingMs()));
        throw new WaitTimeoutError('Deployment web to have 3 ready replicas', 100, 'web-2 Pending');
      })),
    );
    expect(r.status).toBe('error');
    expect(r.reason).toBe('undecided: no verdict within the 0.1s deadline; last seen: web-2 Pending');
  });

  it('turns a WaitTimeoutError into a fail with the last observed state', async () => {
    const r = await runCheck(planned(), deps(def(async () => {
      throw new WaitTimeoutError('Deployment web to have 3 ready replicas', 120_000, 'web-2 Pending');
    })));
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('Deployment web to have 3 ready replicas: not reached after 120s; last seen: web-2 Pending');
  });

  it('turns any other throw into an error, and collects evidence on failure', async () => {
    const r = await runCheck(planned(), deps(def(async () => {
      throw new Error('boom');
    })));
    expect(r.status).toBe('error');
    expect(r.reason).toBe('boom');
    expect(r.evidence.some((e) => e.kind === 'events')).toBe(true);
  });

  it('reports an interrupted check as error, not as a failure', async () => {
    const ctl = new AbortController();
    const d = deps(def(async (_s, ctx) => {
      setTimeout(() => ctl.abort(new Error('SIGINT')), 10);
      await new Promise((_res, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)));
      return pass;
    }), plan(), ctl.signal);
    const r = await runCheck(planned({ hint: 'look at kube-proxy' }), d);
    expect(r.status).toBe('error');
    expect(r.reason).toBe('interrupted before the check could decide');
    // The hint explains a failing cluster, not a Ctrl-C.
    expect(r.hint).toBeUndefined();
  });

  it('retries a failure and reports a later pass as flaky, keeping every attempt', async () => {
    let n = 0;
    const r = await runCheck(planned({ retries: 2 }), deps(def(async () => (++n === 1 ? { status: 'fail', reason: 'first try fails' } : pass))));
    expect(r.status).toBe('pass');
    expect(r.flaky).toBe(true);
    expect(r.reason).toBe('all good');
    expect(r.attempts.map((a) => a.status)).toEqual(['fail', 'pass']);
    expect(r.attempts[0]?.reason).toBe('first try fails');
  });

  it('stops after retries are used up and keeps the last failure', async () => {
    let n = 0;
    const r = await runCheck(planned({ retries: 1 }), deps(def(async () => ({ status: 'fail', reason: `attempt ${++n}` }))));
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('attempt 2');
    expect(r.attempts).toHaveLength(2);
  });

  it('runs the check\'s cleanup in reverse order after every attempt, even on failure', async () => {
    const order: string[] = [];
    const r = await runCheck(planned(), deps(def(async (_s, ctx) => {
      ctx.cleanup.add('uncordon', async () => order.push('uncordon'));
      ctx.cleanup.add('untaint', async () => order.push('untaint'));
      throw new Error('midway');
    })));
    expect(r.status).toBe('error');
    expect(order).toEqual(['untaint', 'uncordon']);
  });

  it('turns a pass into an error when its cleanup fails (the cluster was not restored)', async () => {
    const r = await runCheck(planned(), deps(def(async (_s, ctx) => {
      ctx.cleanup.add('remove taint from w1', async () => {
        throw new Error('node w1 not found');
      });
      return pass;
    })));
    expect(r.status).toBe('error');
    expect(r.reason).toBe('check passed but its cleanup failed: remove taint from w1: node w1 not found');
  });

  it('skips destructive checks in read-only mode with the reason', async () => {
    let ran = false;
    const r = await runCheck(planned(), deps(def(async () => {
      ran = true;
      return pass;
    }, true), plan({ readOnly: true })));
    expect(ran).toBe(false);
    expect(r.status).toBe('skip');
    expect(r.reason).toMatch(/^read-only mode/);
  });

  it('gives partial points from sub-assertions and the hint on failure', async () => {
    const r = await runCheck(planned({ points: 4, hint: 'look at the CNI' }), deps(def(async () => ({
      status: 'fail',
      reason: 'one of four failed',
      assertions: [
        { name: 'a', passed: true }, { name: 'b', passed: true }, { name: 'c', passed: true }, { name: 'd', passed: false },
      ],
    }))));
    expect(r.points).toEqual({ earned: 3, max: 4 });
    expect(r.hint).toBe('look at the CNI');
  });
});
