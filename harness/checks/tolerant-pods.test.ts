// The contract behind CheckNeeds.toleratesNodeChanges: a check that says it may
// run beside a drain, cordon or test taint of this run creates only pods that
// tolerate those changes and are pinned to no node. Each such built-in check is
// run here against a kube that records what is created and stops the check at
// its first read or wait, so every pod (or pod template) made before it is seen.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuites } from '../suite/load.ts';
import { Cleanup } from './cleanup.ts';
import type { Kube } from '../kube/client.ts';
import type { KubeObject } from '../kube/types.ts';
import { nodeChangeTolerations } from './common/node-change-tolerations.ts';
import { getCheck } from './registry.ts';
import type { CheckContext } from './types.ts';
import type { CheckSpec } from './kinds.ts';

class Stop extends Error {}

/** Records creates; any other call ends the check. */
function recordingKube(created: KubeObject[]): Kube {
  return new Proxy({} as Kube, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'create')
        return async (o: KubeObject) => {
          created.push(o);
          return o.kind === 'Service' ? { ...o, spec: { ...(o['spec'] as object), clusterIP: '10.96.0.10' } } : o;
        };
      return () => {
        throw new Stop(String(prop));
      };
    },
  });
}

function podSpecs(objs: KubeObject[]): { name: string; spec: Record<string, unknown> }[] {
  return objs.flatMap((o) => {
    const spec = o['spec'] as { template?: { spec?: Record<string, unknown> } } & Record<string, unknown>;
    if (o.kind === 'Pod') return [{ name: `Pod ${o.metadata.name}`, spec }];
    if (spec?.template?.spec) return [{ name: `${o.kind} ${o.metadata.name}`, spec: spec.template.spec }];
    return [];
  });
}

const suitesDir = path.resolve(import.meta.dirname, '../../suites');
const tolerant = (await loadSuites([suitesDir])).flatMap((l) =>
  l.suite.checks.filter((c) => getCheck(c.kind).needs(c as never).toleratesNodeChanges === true).map((c) => ({ suite: l.suite.name, spec: c as CheckSpec })),
);

describe('checks that may run beside a node change create only pods that cannot feel it', () => {
  it('the built-in suites have such checks (rollout, workload, service endpoints and ports)', () => {
    const kinds = new Set(tolerant.map((t) => `${t.spec.kind}${'mode' in t.spec ? `/${String(t.spec.mode)}` : ''}`));
    expect([...kinds].sort()).toEqual(['rollout', 'service/endpoints', 'service/ports', 'workload/multiContainer', 'workload/scaling', 'workload/selfHealing']);
  });

  for (const { suite, spec } of tolerant) {
    it(`${suite}/${spec.name ?? spec.kind}`, async () => {
      const created: KubeObject[] = [];
      const ac = new AbortController();
      const ctx: CheckContext = {
        kube: recordingKube(created),
        namespace: 'ns',
        runId: 'r7',
        nonce: 'n',
        signal: ac.signal,
        deadline: Date.now() + 60_000,
        remainingMs: () => 60_000,
        cleanup: new Cleanup(),
        readOnly: false,
        log: () => undefined,
        images: { agnhost: 'agnhost:test' },
        attempt: 1,
        sharedClient: { pod: 'shared-client', labelSelector: 'x=y' },
      };
      await getCheck(spec.kind)
        .run(spec as never, ctx)
        .catch((e: unknown) => {
          if (!(e instanceof Stop)) throw e;
        });
      const pods = podSpecs(created);
      expect(pods.length).toBeGreaterThan(0);
      const want = nodeChangeTolerations('r7');
      for (const p of pods) {
        expect(p.spec['tolerations'], p.name).toEqual(expect.arrayContaining(want));
        expect(p.spec['nodeName'], p.name).toBeUndefined();
        expect(p.spec['nodeSelector'], p.name).toBeUndefined();
        expect(JSON.stringify(p.spec['affinity'] ?? {}), p.name).not.toContain('requiredDuringScheduling');
      }
    });
  }
});
