import { describe, expect, it } from 'vitest';
import { runPlan } from './runner.ts';
import type { Plan, PlannedSuite } from '../plan/plan.ts';
import type { CheckDefinition, SharedClient } from '../checks/types.ts';
import { FakeKube } from '../testing/fake-kube.ts';
import { SHARED_CLIENT_POD, sharedClientManifest } from '../checks/common/shared-client.ts';
import { nodeChangeTolerations } from '../checks/common/node-change-tolerations.ts';

function suite(name: string, checks: string[]): PlannedSuite {
  return {
    name,
    file: `/suites/${name}.yaml`,
    namespace: `kconform-${name}-r1`,
    fixtures: [],
    checks: checks.map((c) => ({ id: `${name}/${c}`, name: c, spec: { kind: 'nodes' as const, name: c }, timeoutMs: 1_000, retries: 0 })),
  };
}

const plan = (suites: PlannedSuite[]): Plan => ({ runId: 'r1', nonce: 'n', suites, images: { agnhost: 'agn:1' }, options: { parallel: 2, keep: 'never', readOnly: false, evidence: 'never' } });

/** Checks named "uses*" ask for the shared client; each records what its context held. */
function recording(seen: Map<string, SharedClient | undefined>): CheckDefinition {
  return {
    kind: 'nodes',
    proves: 'test',
    needs: () => ({}),
    usesSharedClient: (spec) => (spec.name ?? '').startsWith('uses'),
    async run(spec, ctx) {
      seen.set(spec.name ?? '', ctx.sharedClient);
      return { status: 'pass', reason: 'ok' };
    },
  };
}

const run = (kube: FakeKube, p: Plan, seen: Map<string, SharedClient | undefined>, progress: string[] = []) =>
  runPlan(p, {
    kube: kube.asKube(),
    reporter: { onLog: (m) => void progress.push(m) },
    cluster: { name: 'fake', provider: 'kubeconfig' },
    signal: new AbortController().signal,
    checks: () => recording(seen),
  });

describe('the suite shared client', () => {
  it('is started once per suite that asks for it, with the run tolerations, and every check of that suite gets it', async () => {
    const kube = new FakeKube();
    const seen = new Map<string, SharedClient | undefined>();
    const r = await run(kube, plan([suite('a', ['uses-1', 'uses-2', 'plain']), suite('b', ['plain-b'])]), seen);
    expect(r.summary.passed).toBe(4);
    expect(kube.calls.filter((c) => c.startsWith('create Pod'))).toEqual([`create Pod ${SHARED_CLIENT_POD}`]);
    expect(seen.get('uses-1')).toEqual({ pod: SHARED_CLIENT_POD, labelSelector: 'kconform.io/check=suite.shared,kconform.io/role=client' });
    expect(seen.get('plain')).toEqual(seen.get('uses-1'));
    expect(seen.get('plain-b')).toBeUndefined();
  });

  it('carries this run\'s node-change tolerations, is pinned to no node and runs the probe image', () => {
    const pod = sharedClientManifest({ namespace: 'ns', runId: 'r9', image: 'agn:1' }) as unknown as { spec: { tolerations: { key: string }[]; affinity?: unknown; containers: { image: string }[] } };
    expect(pod.spec.tolerations.map((t) => t.key)).toEqual(nodeChangeTolerations('r9').map((t) => t.key));
    expect(pod.spec.affinity).toBeUndefined();
    expect(pod.spec.containers[0]!.image).toBe('agn:1');
  });

  it('when it cannot be created, says so and the checks run without it (they start their own)', async () => {
    const kube = new FakeKube();
    const create = kube.create.bind(kube);
    kube.create = async (o) => {
      if (o.kind === 'Pod') throw new Error('pods is forbidden: exceeded quota');
      return create(o);
    };
    const seen = new Map<string, SharedClient | undefined>();
    const progress: string[] = [];
    const r = await run(kube, plan([suite('a', ['uses-1'])]), seen, progress);
    expect(r.summary.passed).toBe(1);
    expect(seen.has('uses-1')).toBe(true);
    expect(seen.get('uses-1')).toBeUndefined();
    expect(progress.join('\n')).toMatch(/a: the shared client could not be started \(pods is forbidden: exceeded quota\); each check starts its own/);
  });
});
