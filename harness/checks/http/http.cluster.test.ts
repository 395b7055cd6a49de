// http on the real testbed: a Service's ClusterIP with the nonce echoed and the
// spread over every endpoint, a pod by named port, a URL by DNS name; a stub
// that always answers "ok" fails; a Service whose selector matches nothing
// fails with that diagnosis.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestCluster } from '../common/test-context.ts';
import { probeImages } from '../../images/probe-images.ts';
import type { KubeObject } from '../../kube/types.ts';
import { httpCheck } from './check.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

function server(ns: string, name: string, app: string, args: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'web', image: probeImages().agnhost, args, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } }],
    },
  };
}
const svc = (ns: string, name: string, app: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

describe.skipIf(!kubeconfig)(`http on the testbed cluster${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await TestCluster.open(kubeconfig, 'http');
    const ns = tc.namespace;
    const netexec = ['netexec', '--http-port=8080', '--udp-port=-1'];
    await tc.kube.apply([
      server(ns, 'web-1', 'web', netexec),
      server(ns, 'web-2', 'web', netexec),
      server(ns, 'stub', 'stub', [...netexec, '--http-override=/echo?msg=ok']),
      svc(ns, 'web', 'web'),
      svc(ns, 'stub', 'stub'),
      svc(ns, 'typo', 'wbe'),
    ]);
    await tc.kube.waitFor('v1', 'Pod', { namespace: ns }, (pods) => {
      const ready = pods.filter((p) => ((p as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
      return { done: ready.length === 3, observed: `${ready.length}/3 Ready` };
    }, { description: 'servers Ready', timeoutMs: 120_000 });
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('ClusterIP: the nonce comes back, and every endpoint answers (spread)', async () => {
    const r = await tc.run(httpCheck, { kind: 'http', name: 'spread', service: { name: 'web', port: 'http' }, path: '/echo?msg={{ nonce }}', requests: 20, spread: { minEndpoints: 2 } }, 120_000);
    process.stdout.write(`    spread: ${r.outcome.status} in ${(r.durationMs / 1000).toFixed(1)}s: ${r.outcome.reason}\n`);
    expect(r.outcome.status, r.outcome.reason).toBe('pass');
    const counts = r.outcome.evidence?.find((e) => e.kind === 'counts' && e.title === 'answers per endpoint');
    expect(counts && counts.kind === 'counts' ? Object.keys(counts.counts).sort() : []).toEqual(['web-1', 'web-2']);
    expect(counts && counts.kind === 'counts' ? Object.values(counts.counts).reduce((a, b) => a + b, 0) : 0).toBe(20);
    expect(r.cleanupFailures).toEqual([]);
  });

  it('a stub answering "ok" to everything fails the nonce echo', async () => {
    const r = await tc.run(httpCheck, { kind: 'http', name: 'stub', service: { name: 'stub' }, path: '/echo?msg={{ nonce }}', wait: '3s' }, 60_000);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(/^Service stub \(ns \S+\) port 80 \([\d.]+\): answer echoes the run nonce: got "ok"$/);
    expect(r.outcome.assertions?.map((a) => a.passed)).toEqual([true, false]);
  });

  it('a selector that matches no pod: the reason says so', async () => {
    const r = await tc.run(httpCheck, { kind: 'http', name: 'typo', service: { name: 'typo' }, path: '/hostname', wait: '3s', requestTimeout: '1s' }, 60_000);
    expect(r.outcome.status, r.outcome.reason).toBe('fail');
    expect(r.outcome.reason).toMatch(new RegExp(`^Service typo \\(ns ${tc.namespace}\\) has no ready endpoints: its selector app=wbe matches no pod; `));
  });

  it('a pod by named port, and a URL by DNS name, from the check\'s own client', async () => {
    const pod = await tc.run(httpCheck, { kind: 'http', name: 'pod', pod: { name: 'web-2', port: 'http' }, path: '/hostname', expect: { body: '^web-2$' } }, 60_000);
    expect(pod.outcome.status, pod.outcome.reason).toBe('pass');
    const url = await tc.run(httpCheck, { kind: 'http', name: 'url', url: `http://web.${tc.namespace}.svc.cluster.local/echo?msg={{ nonce }}` }, 60_000);
    process.stdout.write(`    url: ${url.outcome.status}: ${url.outcome.reason}\n`);
    expect(url.outcome.status, url.outcome.reason).toBe('pass');
    expect(url.outcome.reason).toMatch(new RegExp(`^http://web\\.${tc.namespace}\\.svc\\.cluster\\.local/echo\\?msg=<nonce>: 1 request\\(s\\) as expected`));
  });
});
