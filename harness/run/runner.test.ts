import { describe, expect, it } from 'vitest';
import { runPlan } from './runner.ts';
import type { Plan, PlannedSuite } from '../plan/plan.ts';
import type { CheckDefinition } from '../checks/types.ts';
import { FakeKube } from '../testing/fake-kube.ts';
import type { Reporter } from '../report/reporter.ts';

function suite(name: string, checks: string[], fixtures: PlannedSuite['fixtures'] = []): PlannedSuite {
  return {
    name,
    file: `/suites/${name}.yaml`,
    namespace: `kconform-${name}-r1`,
    fixtures,
    checks: checks.map((c) => ({ id: `${name}/${c}`, name: c, spec: { kind: 'nodes' as const, name: c }, timeoutMs: 1_000, retries: 0 })),
  };
}

function plan(suites: PlannedSuite[], keep: Plan['options']['keep'] = 'never'): Plan {
  return { runId: 'r1', nonce: 'n', suites, images: { agnhost: 'a' }, options: { parallel: 2, keep, readOnly: false, evidence: 'never' } };
}

const byName = (outcomes: Record<string, 'pass' | 'fail' | 'throw' | 'hang'>): CheckDefinition => ({
  kind: 'nodes',
  proves: 'test',
  needs: () => ({}),
  async run(spec, ctx) {
    const o = outcomes[spec.name ?? ''] ?? 'pass';
    if (o === 'throw') throw new Error('harness trouble');
    if (o === 'hang') await new Promise((_r, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)));
    return { status: o === 'fail' ? 'fail' : 'pass', reason: o };
  },
});

function recorder(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    onSuiteBegin: (n: string) => void lines.push(`suite ${n}`),
    onCheckEnd: (r) => void lines.push(`${r.id} ${r.status}`),
    onRunEnd: (r) => void lines.push(`end ${r.summary.passed}/${r.summary.total}`),
  };
}

const cluster = { name: 'fake', provider: 'kubeconfig' };

describe('runPlan', () => {
  it('creates one namespace per suite, runs the checks and deletes the namespace', async () => {
    const kube = new FakeKube();
    const rep = recorder();
    const r = await runPlan(plan([suite('a', ['one', 'two']), suite('b', ['three'])]), {
      kube: kube.asKube(), reporter: rep, cluster, signal: new AbortController().signal, checks: () => byName({ two: 'fail' }),
    });
    expect(r.summary).toEqual({ total: 3, passed: 2, failed: 1, errored: 0, skipped: 0, flaky: 0 });
    expect(r.suites.map((s) => s.status)).toEqual(['fail', 'pass']);
    expect(kube.calls.filter((c) => c.includes('Namespace'))).toEqual(expect.arrayContaining([
      'create Namespace kconform-a-r1', 'delete Namespace kconform-a-r1', 'create Namespace kconform-b-r1', 'delete Namespace kconform-b-r1',
    ]));
    expect([...kube.objects.keys()].filter((k) => k.startsWith('Namespace/'))).toEqual([]);
    expect(rep.lines.at(-1)).toBe('end 2/3');
  });

  it('cleans up after a check that errors', async () => {
    const kube = new FakeKube();
    const r = await runPlan(plan([suite('a', ['one'])]), {
      kube: kube.asKube(), reporter: recorder(), cluster, signal: new AbortController().signal, checks: () => byName({ one: 'throw' }),
    });
    expect(r.suites[0]?.checks[0]?.status).toBe('error');
    expect(kube.calls).toContain('delete Namespace kconform-a-r1');
  });

  it('reports every check as error with the reason when a fixture cannot be applied, and still cleans up', async () => {
    const kube = new FakeKube();
    kube.failApply = 'web';
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'kconform-a-r1' } };
    const r = await runPlan(plan([suite('a', ['one', 'two'], [{ origin: 'web.yaml', objects: [obj], wait: false }])]), {
      kube: kube.asKube(), reporter: recorder(), cluster, signal: new AbortController().signal, checks: () => byName({}),
    });
    expect(r.suites[0]?.checks.map((c) => [c.status, c.reason])).toEqual([
      ['error', 'suite setup failed: apply refused for web'],
      ['error', 'suite setup failed: apply refused for web'],
    ]);
    expect(kube.calls).toContain('delete Namespace kconform-a-r1');
  });

  it('on interrupt stops running checks, keeps what finished and still cleans up', async () => {
    const kube = new FakeKube();
    const ctl = new AbortController();
    const rep = recorder();
    const p = runPlan(plan([suite('a', ['one', 'slow', 'never'])]), {
      kube: kube.asKube(), reporter: rep, cluster, signal: ctl.signal, checks: () => byName({ slow: 'hang' }),
    });
    setTimeout(() => ctl.abort(new Error('SIGINT')), 50);
    const r = await p;
    expect(r.interrupted).toBe(true);
    // Every planned check is listed: the one that never ran is skipped, "interrupted".
    expect(r.suites[0]?.checks.map((c) => `${c.name}:${c.status}`)).toEqual(['one:pass', 'slow:error', 'never:skip']);
    expect(r.suites[0]?.checks[2]?.reason).toBe('interrupted: the run stopped before this check started');
    expect(r.summary).toMatchObject({ total: 3, passed: 1, errored: 1, skipped: 1 });
    expect(kube.calls).toContain('delete Namespace kconform-a-r1');
  });

  it('keeps the namespace of a failed suite with keep=on-failure, and deletes a passing one', async () => {
    const kube = new FakeKube();
    const rep = recorder();
    await runPlan(plan([suite('bad', ['x']), suite('good', ['y'])], 'on-failure'), {
      kube: kube.asKube(), reporter: rep, cluster, signal: new AbortController().signal, checks: () => byName({ x: 'fail' }),
    });
    expect(kube.calls).not.toContain('delete Namespace kconform-bad-r1');
    expect(kube.calls).toContain('delete Namespace kconform-good-r1');
  });

  describe('with --parallel above 1', () => {
    /** Standalone checks that sleep; names starting with X change nodes. Records what ran beside what. */
    function sleepers(ms: Record<string, number>) {
      const running = new Set<string>();
      const overlaps: string[] = [];
      let peak = 0;
      const def: CheckDefinition = {
        kind: 'nodes',
        proves: 'test',
        standalone: true,
        // Y: destructive, but a change no other check feels (alone: false).
        needs: (spec) => ({ destructive: /^[XY]/.test(spec.name ?? ''), ...((spec.name ?? '').startsWith('Y') ? { alone: false } : {}) }),
        async run(spec, ctx) {
          const name = spec.name ?? '';
          const others = [...running];
          if (name.startsWith('X') ? others.length > 0 : others.some((o) => o.startsWith('X'))) overlaps.push(`${name} beside ${others.join(',')}`);
          running.add(name);
          peak = Math.max(peak, running.size);
          // The deadline counts from the check's turn: it has its whole timeout whatever it waited in the queue.
          const left = ctx.remainingMs();
          await new Promise((r) => setTimeout(r, ms[name] ?? 30));
          running.delete(name);
          return { status: left > 900 ? 'pass' : 'fail', reason: `${left} ms left at start` };
        },
      };
      return { def, overlaps, peak: () => peak };
    }

    it('runs checks of every suite side by side, a node-changing one alone, and reports in suite order', async () => {
      const kube = new FakeKube();
      const rep = recorder();
      const s = sleepers({ a1: 300, a2: 300, b1: 300, Xa: 100, Xb: 100 });
      const p = plan([suite('a', ['a1', 'Xa', 'a2']), suite('b', ['b1', 'Xb', 'b2', 'b3'])]);
      p.options.parallel = 3;
      const r = await runPlan(p, { kube: kube.asKube(), reporter: rep, cluster, signal: new AbortController().signal, checks: () => s.def });
      expect(s.overlaps).toEqual([]);
      expect(s.peak()).toBe(3);
      expect(r.summary).toMatchObject({ total: 7, passed: 7 });
      expect(r.suites.map((x) => x.checks.map((c) => c.name))).toEqual([['a1', 'Xa', 'a2'], ['b1', 'Xb', 'b2', 'b3']]);
      // The node-changing checks went first, while nothing else ran.
      expect(rep.lines.slice(2, 4).sort()).toEqual(['a/Xa pass', 'b/Xb pass']);
      expect([...kube.objects.keys()].filter((k) => k.startsWith('Namespace/'))).toEqual([]);
    });

    it('runs a destructive check that need not be alone (alone: false) beside the others', async () => {
      const s = sleepers({ a1: 300, Ya: 300, b1: 300 });
      const p = plan([suite('a', ['a1', 'Ya']), suite('b', ['b1'])]);
      p.options.parallel = 3;
      const r = await runPlan(p, { kube: new FakeKube().asKube(), reporter: recorder(), cluster, signal: new AbortController().signal, checks: () => s.def });
      expect(r.summary).toMatchObject({ total: 3, passed: 3 });
      expect(s.peak()).toBe(3);
    });

    it('gives a check queued behind others its whole timeout (1 s here, queued 0.6 s)', async () => {
      const s = sleepers({ a1: 600, a2: 600, a3: 10 });
      const p = plan([suite('a', ['a1', 'a2', 'a3'])]);
      const r = await runPlan(p, { kube: new FakeKube().asKube(), reporter: recorder(), cluster, signal: new AbortController().signal, checks: () => s.def });
      expect(r.suites[0]!.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    });

    it('keeps the order of checks that are not standalone', async () => {
      const order: string[] = [];
      const def: CheckDefinition = {
        kind: 'nodes', proves: 'test', needs: () => ({}),
        async run(spec) {
          order.push(`start ${spec.name}`);
          await new Promise((r) => setTimeout(r, 20));
          order.push(`end ${spec.name}`);
          return { status: 'pass', reason: '' };
        },
      };
      await runPlan(plan([suite('a', ['one', 'two'])]), { kube: new FakeKube().asKube(), reporter: recorder(), cluster, signal: new AbortController().signal, checks: () => def });
      expect(order).toEqual(['start one', 'end one', 'start two', 'end two']);
    });
  });
});

