// A run shaped like a real one for the HTML report's tests and screenshot: a 3-node
// podNetwork matrix (pod and host clients) with one SNAT cell, a skewed
// serviceDistribution, a rollout timeline sampled through a rolling update, and
// hostile text (markup, a token) where checks put text they did not write.
import { summarize } from '../../../results/model.ts';
import type { CheckResult, Evidence, MatrixCell, RunResult, SuiteResult } from '../../../results/model.ts';
import { check, sampleRun, sampleSuite } from '../../testing/sample-run.ts';

export const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
export const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl';
export const PASSWORD = 'hunter2-secret-pw';

const NODES = ['kconform-control-plane', 'kconform-worker', 'kconform-worker2'];

export function podMatrix(): Extract<Evidence, { kind: 'matrix' }> {
  const rows = [...NODES.map((n) => `pod on ${n}`), ...NODES.map((n) => `host ${n}`)];
  const cells: MatrixCell[][] = rows.map((_, i) =>
    NODES.map((_, j) => {
      const latencyMs = i % 3 === j ? 0.4 + i * 0.1 : 1.2 + ((i * 7 + j * 3) % 5) * 0.6;
      if (i === 1 && j === 2) {
        return { ok: false, label: 'SNAT', latencyMs, detail: 'server saw source 172.18.0.3, expected the client pod IP 10.244.1.5' };
      }
      return { ok: true, label: latencyMs < 1 ? '<1ms' : `${Math.round(latencyMs)}ms`, latencyMs, detail: `source 10.244.${i}.5` };
    }),
  );
  return { kind: 'matrix', title: 'pod network (rows: client, columns: server pod on node)', rows, cols: NODES, cells };
}

export function answerCounts(): Extract<Evidence, { kind: 'counts' }> {
  return {
    kind: 'counts',
    title: 'answers per endpoint (300 new connections to web 10.96.14.7:80)',
    counts: { 'web-6d9f-0': 152, 'web-6d9f-1': 148, 'web-6d9f-2': 0 },
    expected: 100,
    statistic: 152.08,
    pValue: 9.1e-34,
  };
}

/** A rolling update of 3 replicas with maxSurge 1, maxUnavailable 0, sampled every 500 ms. */
export function rolloutTimeline(): Extract<Evidence, { kind: 'timeline' }> {
  const points: { t: number; values: Record<string, number> }[] = [];
  let v1 = 3;
  let v2 = 0;
  let v2Ready = 0;
  for (let step = 0; step <= 48; step++) {
    const t = step * 500;
    if (step === 4 || step === 16 || step === 28) v2++;
    if (step === 10 || step === 22 || step === 34) v2Ready++;
    if (step === 12 || step === 24 || step === 36) v1--;
    points.push({ t, values: { 'ready': Math.min(3, v1) + v2Ready, 'total': v1 + v2, 'v1': v1, 'v2': v2, 'failed requests': 0 } });
  }
  return { kind: 'timeline', title: 'pods during the update (watched)', series: ['total', 'ready', 'v1', 'v2', 'failed requests'], points };
}

function richSuite(): SuiteResult {
  const base = sampleSuite();
  const checks: CheckResult[] = base.checks.map((c) => {
    if (c.name === 'podNetwork') {
      return {
        ...c,
        status: 'fail',
        flaky: false,
        reason: '17/18 pairs ok; pod on kconform-worker -> kconform-worker2: SNAT (saw 172.18.0.3)',
        hint: 'the CNI masquerades pod-to-pod traffic between nodes: check its ipMasq / natOutgoing setting',
        evidence: [
          podMatrix(),
          { kind: 'table', title: 'probe pods', columns: ['node', 'role', 'pod CIDR', 'server IP'], rows: NODES.map((n, i) => [n, i === 0 ? 'control-plane' : 'worker', `10.244.${i}.0/24`, `10.244.${i}.7`]) },
        ],
        attempts: [
          { attempt: 1, status: 'fail', reason: 'SNAT on 1 pair', durationMs: 3100, evidence: [] },
          { attempt: 2, status: 'fail', reason: 'SNAT on 1 pair', durationMs: 3000, evidence: [podMatrix()] },
        ],
        points: { earned: 1, max: 3 },
      };
    }
    if (c.name === 'serviceDistribution') {
      return {
        ...c,
        evidence: [
          answerCounts(),
          { kind: 'events', title: 'namespace events', events: [
            { time: '2026-03-01T10:00:01Z', type: 'Normal', reason: 'Scheduled', object: 'Pod/web-6d9f-2', message: 'Successfully assigned to kconform-worker2' },
            { time: '2026-03-01T10:00:04Z', type: 'Warning', reason: 'Unhealthy', object: 'Pod/web-6d9f-2', message: `Readiness probe failed: ${HOSTILE}`, count: 3 },
          ] },
          { kind: 'logs', title: 'web-6d9f-2', pod: 'web-6d9f-2', container: 'netexec', text: `starting netexec\nAuthorization: Bearer ${TOKEN}\n${HOSTILE}\nserving on :8080\n` },
          { kind: 'object', title: 'Service web', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } },
          { kind: 'object', title: 'Secret db', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' }, stringData: { dbPassword: PASSWORD } } },
          { kind: 'text', title: 'kubeconfig excerpt', text: `user:\n  token: ${TOKEN}\n  password: ${PASSWORD}` },
        ],
      };
    }
    if (c.name === 'rollout') {
      return {
        ...c,
        flaky: true,
        evidence: [rolloutTimeline()],
        attempts: [
          { attempt: 1, status: 'fail', reason: '3/1,380 requests failed (connection refused) while web-6d9f-0 terminated', durationMs: 36_000, evidence: [] },
          { attempt: 2, status: 'pass', reason: '0/1,412 requests failed', durationMs: 38_000, evidence: [] },
        ],
      };
    }
    return c;
  });
  checks.push(check('dns-hostile', { kind: 'dns', status: 'fail', reason: `resolved ${HOSTILE}`, hint: `look at <b>CoreDNS</b>`, durationMs: 800 }));
  return { ...base, checks, status: 'fail' };
}

export function richRun(over: Partial<RunResult> = {}): RunResult {
  const suites = over.suites ?? [richSuite(), { name: 'grading', file: 'suites/grading.yaml', namespace: 'kconform-grading-r7f3a', status: 'pass', durationMs: 4200, errors: [], checks: [
    check('two-containers', { suite: 'grading', kind: 'assert', reason: 'Pod mypod has 2 containers mounting volume shared', points: { earned: 2, max: 2 }, assertions: [
      { name: 'pod mypod exists', passed: true, points: 1 },
      { name: 'both containers mount shared', passed: true, points: 1 },
    ] }),
    check('nodeport', { suite: 'grading', kind: 'http', reason: 'GET http://node:30080/ -> 200 in 12ms', points: { earned: 1, max: 1 } }),
  ] }];
  return sampleRun({ suites, summary: summarize(suites), ...over });
}
