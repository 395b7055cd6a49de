// assert on the real testbed: partial matches of live objects, counts over a
// selector, waiting (by watch) for an object created after the check started,
// and the mismatch (not a timeout) as the reason.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestCluster } from '../common/test-context.ts';
import { probeImages } from '../../images/probe-images.ts';
import type { KubeObject } from '../../kube/types.ts';
import { assertCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

function deployment(ns: string, name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: probeImages().agnhost, args: ['netexec', '--http-port=8080'], readinessProbe: { httpGet: { path: '/hostname', port: 8080 }, periodSeconds: 1 } }] },
      },
    },
  };
}

const ready = { status: { conditions: { $some: { type: 'Ready', status: 'True' } } } };

describe.skipIf(!kubeconfig)(`assert on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'assert');
    await tc.kube.apply([deployment(tc.namespace, 'web', 2)]);
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('all pods of a selector Ready, exactly 2: passes, with each object\'s uid and creation time as evidence', async () => {
    const r = await tc.run(assertCheck, { kind: 'assert', resource: { apiVersion: 'v1', kind: 'Pod', labelSelector: 'app=web' }, expect: ready, all: true, count: 2, wait: '90s' }, 120_000);
    process.stdout.write(`    ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.outcome.reason).toBe(`Pods app=web (ns ${tc.namespace}): 2 of 2 match`);
    const table = r.outcome.evidence?.find((e) => e.kind === 'table');
    const rows = table && table.kind === 'table' ? table.rows : [];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row[1]).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(String(row[2]))).toBeLessThanOrEqual(Date.now());
    }
  });

  it('a mismatch fails with the last observed difference, not "deadline exceeded"', async () => {
    const r = await tc.run(assertCheck, { kind: 'assert', resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, expect: { spec: { replicas: 3 }, status: { readyReplicas: 2 } }, wait: '3s' }, 30_000);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toBe(`Deployment web (ns ${tc.namespace}): spec.replicas: expected = 3, got 2`);
    expect(r.outcome.assertions?.map((a) => a.passed)).toEqual([false, true]);
    expect(r.outcome.evidence?.find((e) => e.kind === 'object')).toMatchObject({ object: { spec: { replicas: 2 }, status: { readyReplicas: 2 } } });
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('waits (by watch) for an object created after the check started', async () => {
    const pending = tc.run(assertCheck, { kind: 'assert', resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'late' }, expect: { data: { greeting: 'hello' } }, wait: '30s' }, 40_000);
    await new Promise((res) => setTimeout(res, 2_000));
    await tc.kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: tc.namespace }, data: { greeting: 'hello' } });
    const r = await pending;
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    expect(r.durationMs).toBeGreaterThan(1_500);
    expect(r.durationMs).toBeLessThan(20_000);
  });

  it('a missing object fails as "not found"; an unknown kind is an error', async () => {
    const r = await tc.run(assertCheck, { kind: 'assert', resource: { apiVersion: 'v1', kind: 'Service', name: 'nope' }, wait: '1s' }, 20_000);
    expect(r.outcome).toMatchObject({ status: 'fail', reason: `Service nope (ns ${tc.namespace}): not found` });
    await expect(tc.run(assertCheck, { kind: 'assert', resource: { apiVersion: 'example.com/v1', kind: 'Widget' }, wait: '1s' }, 20_000)).rejects.toThrow(/does not serve kind Widget in example\.com\/v1/);
  });
});
