// The run session's order and promises, with a fake provider and fake checks:
// nothing selected stops before any cluster; a cluster that cannot be opened is
// handed to the caller's always-a-report hook with what would have run; the safety
// rule holds destructive checks back on a cluster kconform did not create; the
// exit code comes from the result; the handle is disposed whatever happens.
import { describe, expect, it } from 'vitest';
import { loadSuiteSource } from '../suite/load.ts';
import { shapeOf } from '../cluster/shape.ts';
import type { ClusterHandle, ClusterProvider } from '../cluster/provider.ts';
import type { CheckDefinition } from '../checks/types.ts';
import type { Reporter } from '../report/reporter.ts';
import { FakeKube } from '../testing/fake-kube.ts';
import { NoChecksSelectedError, runSession, type OpenFailure } from './session.ts';

const SUITE = `name: s
checks:
  - kind: eviction
    name: drain
    mode: drain
  - kind: assert
    name: fine
    resource: { apiVersion: v1, kind: ConfigMap, name: x }
    expect: { data: { a: b } }
`;

const options = { parallel: 1, keep: 'never' as const, readOnly: false, evidence: 'never' as const };

/** Every check passes or fails by its name, without a cluster. */
const fake = (fail: string[]): CheckDefinition => ({
  kind: 'assert',
  proves: 'test',
  needs: () => ({}),
  run: async (spec) => (fail.includes(spec.name ?? '') ? { status: 'fail', reason: 'broken on purpose' } : { status: 'pass', reason: 'ok' }),
});

function provider(o: { own: boolean; fail?: Error; deletedOnDispose?: boolean; kube?: FakeKube }): ClusterProvider & { opened: number; disposed: number } {
  const p = {
    name: 'kubeconfig' as const,
    placeholder: { name: 'fake', provider: 'kubeconfig' },
    opened: 0,
    disposed: 0,
    describe: () => 'context fake (https://127.0.0.1:1)',
    async open(): Promise<ClusterHandle> {
      p.opened++;
      if (o.fail) throw o.fail;
      return {
        provider: 'kubeconfig', name: 'fake', kube: (o.kube ?? new FakeKube()).asKube(), info: { name: 'fake', provider: 'kubeconfig' },
        shape: shapeOf([], [], undefined), ownCluster: o.own, deletedOnDispose: o.deletedOnDispose ?? false, target: 'context fake (https://127.0.0.1:1)',
        dispose: async () => void p.disposed++,
      };
    },
  };
  return p;
}

const silent: Reporter = {};

describe('runSession', () => {
  it('stops before any cluster when the selection leaves nothing', async () => {
    const p = provider({ own: false });
    const suite = await loadSuiteSource(SUITE, 's.yaml');
    await expect(runSession({ suites: [suite], options: { ...options, selection: { grep: ['nothing-here'] } }, provider: p, reporter: silent })).rejects.toThrow(NoChecksSelectedError);
    await expect(runSession({ suites: [suite], options: { ...options, selection: { grep: ['nothing-here'] } }, provider: p, reporter: silent })).rejects.toThrow('no checks selected by --grep nothing-here');
    expect(p.opened).toBe(0);
  });

  it('hands a cluster that cannot be opened to the report hook, with what would have run, and rethrows', async () => {
    const p = provider({ own: false, fail: new Error('connection refused') });
    const failures: [unknown, OpenFailure][] = [];
    const suite = await loadSuiteSource(SUITE, 's.yaml');
    await expect(runSession({ suites: [suite], options, provider: p, reporter: silent, onOpenFailed: async (e, f) => void failures.push([e, f]) })).rejects.toThrow('connection refused');
    expect(failures).toHaveLength(1);
    const [, f] = failures[0]!;
    expect(f.suites.map((s) => [s.name, s.checks.map((c) => `${c.id}:${c.kind}`)])).toEqual([['s', ['s/drain:eviction', 's/fine:assert']]]);
    expect(f.cluster.name).toBe('fake');
    expect(f.interrupted).toBe(false);
  });

  it('holds destructive checks back on a cluster it did not create, runs them on its own, exits by the result and disposes', async () => {
    const suite = await loadSuiteSource(SUITE, 's.yaml');
    const said: string[] = [];
    const foreign = provider({ own: false });
    const a = await runSession({ suites: [suite], options, provider: foreign, reporter: silent, say: (l) => said.push(l), checks: () => fake(['fine']) });
    expect(a.result.suites[0]?.checks.map((c) => [c.name, c.status])).toEqual([['drain', 'skip'], ['fine', 'fail']]);
    expect(a.exitCode).toBe(1);
    expect(said[0]).toBe('kconform: testing context fake (https://127.0.0.1:1)');
    expect(said.some((l) => l.includes('1 destructive check(s) will be skipped (s/drain)'))).toBe(true);
    expect(foreign.disposed).toBe(1);

    const own = provider({ own: true });
    const b = await runSession({ suites: [suite], options, provider: own, reporter: silent, checks: () => fake([]) });
    expect(b.result.suites[0]?.checks.map((c) => [c.name, c.status])).toEqual([['drain', 'pass'], ['fine', 'pass']]);
    expect(b.exitCode).toBe(0);
    expect(own.disposed).toBe(1);
  });

  it('waits for the suite namespace to be gone, unless the cluster itself is deleted after the run', async () => {
    const suite = await loadSuiteSource(SUITE, 's.yaml');
    const kept = new FakeKube();
    await runSession({ suites: [suite], options, provider: provider({ own: false, kube: kept }), reporter: silent, checks: () => fake([]) });
    expect(kept.waitedDeletes.filter((d) => d.startsWith('Namespace '))).toHaveLength(1);
    const doomed = new FakeKube();
    await runSession({ suites: [suite], options, provider: provider({ own: true, deletedOnDispose: true, kube: doomed }), reporter: silent, checks: () => fake([]) });
    expect(doomed.calls.filter((c) => c.startsWith('delete Namespace '))).toHaveLength(1);
    expect(doomed.waitedDeletes).toEqual([]);
  });

  it('disposes the handle when the run itself breaks', async () => {
    const suite = await loadSuiteSource(SUITE, 's.yaml');
    const p = provider({ own: true });
    const broken: Reporter = { onRunBegin: () => { throw new Error('reporter broke'); } };
    await expect(runSession({ suites: [suite], options, provider: p, reporter: broken, checks: () => fake([]) })).rejects.toThrow('reporter broke');
    expect(p.disposed).toBe(1);
  });
});
