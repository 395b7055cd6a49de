// A RunResult with one check of every status and every kind of evidence, for the
// reporters' tests. Times are fixed so outputs can be compared line by line.
import { RESULTS_SCHEMA_VERSION, summarize } from '../../results/model.ts';
import type { CheckResult, Evidence, RunResult, SuiteResult } from '../../results/model.ts';
import type { RunBeginInfo } from '../reporter.ts';

export const RUN_ID = 'r7f3a';

export function check(name: string, over: Partial<CheckResult> = {}): CheckResult {
  const suite = over.suite ?? 'net';
  const status = over.status ?? 'pass';
  return {
    id: `${suite}/${name}`,
    suite,
    name,
    kind: name,
    status,
    reason: 'ok',
    durationMs: 1200,
    startedAt: '2026-03-01T10:00:00.000Z',
    evidence: [],
    assertions: [],
    flaky: false,
    attempts: [{ attempt: 1, status, reason: over.reason ?? 'ok', durationMs: over.durationMs ?? 1200, evidence: [] }],
    runId: RUN_ID,
    ...over,
  };
}

export const failEvidence: Evidence[] = [
  { kind: 'counts', title: 'answers per endpoint', counts: { 'web-0': 152, 'web-1': 148, 'web-2': 0 }, expected: 100, statistic: 151.04, pValue: 1.2e-33 },
  {
    kind: 'matrix',
    title: 'pod to pod',
    rows: ['client-a', 'client-b'],
    cols: ['server-a', 'server-b'],
    cells: [
      [{ ok: true, label: '1ms' }, { ok: true, label: '2ms' }],
      [{ ok: true, label: '1ms' }, { ok: false, label: 'timeout', detail: 'no answer in 5s' }],
    ],
  },
  { kind: 'table', title: 'endpoints', columns: ['pod', 'ready', 'in slice'], rows: [['web-0', 'true', 'yes'], ['web-2', 'true', 'no']] },
  {
    kind: 'events',
    title: 'namespace events',
    events: [{ time: '2026-03-01T10:00:01Z', type: 'Warning', reason: 'Unhealthy', object: 'Pod/web-2', message: 'Readiness probe failed', count: 3 }],
  },
  { kind: 'logs', title: 'web-2', pod: 'web-2', container: 'netexec', text: 'line 1\nline 2\n' },
  { kind: 'object', title: 'Service web', object: { spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } },
  { kind: 'text', title: 'note', text: 'web-2 labels: app=web2' },
  { kind: 'timeline', title: 'pods', series: ['ready', 'total'], points: [{ t: 0, values: { ready: 3, total: 3 } }, { t: 500, values: { ready: 2, total: 4 } }] },
];

export function sampleSuite(): SuiteResult {
  const checks: CheckResult[] = [
    check('nodes', { reason: '3/3 Ready, runtime docker://, calico on 3/3 nodes', durationMs: 1234 }),
    check('podNetwork', {
      reason: '9/9 pod pairs, 3/3 host->pod, no SNAT',
      durationMs: 6800,
      flaky: true,
      attempts: [
        { attempt: 1, status: 'fail', reason: 'client-b -> server-b timed out', durationMs: 5000, evidence: [failEvidence[1] as Evidence] },
        { attempt: 2, status: 'pass', reason: '9/9 pod pairs', durationMs: 1800, evidence: [] },
      ],
    }),
    check('serviceDistribution', {
      kind: 'serviceDistribution',
      status: 'fail',
      reason: 'endpoint web-2 answered 0/300 (web-0 152, web-1 148)',
      durationMs: 4100,
      hint: 'web-2 is Ready but not in the EndpointSlice: label mismatch?',
      evidence: failEvidence,
      assertions: [
        { name: 'every endpoint answered', passed: false, message: 'web-2 answered 0 times', points: 0 },
        { name: 'uniform', passed: false },
      ],
      points: { earned: 0, max: 2 },
    }),
    check('dns', { status: 'error', reason: 'could not create the client pod: quota exceeded', durationMs: 1900 }),
    check('rollout', { reason: '0/1,412 requests failed, surge<=1 unavailable<=0, rev 1->2->3', durationMs: 38_000, points: { earned: 3, max: 3 } }),
    check('eviction', { status: 'skip', reason: '--read-only', durationMs: 0, attempts: [] }),
  ];
  return { name: 'net', file: 'suites/net.yaml', namespace: 'kconform-net-r7f3a', status: 'error', durationMs: 53_234, checks, errors: [] };
}

export function sampleRun(over: Partial<RunResult> = {}): RunResult {
  const suites = over.suites ?? [sampleSuite()];
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'kconform', version: '0.1.0' },
    runId: RUN_ID,
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:01:12.000Z',
    durationMs: 72_000,
    cluster: { name: 'kconform-7f3a', provider: 'kind', kubernetesVersion: 'v1.37.2', nodes: 3, cni: 'calico', cri: 'docker', uid: 'a1b2c3' },
    suites,
    interrupted: false,
    summary: summarize(suites),
    ...over,
  };
}

export function beginInfo(run: RunResult, maxAttempts?: number): RunBeginInfo {
  return {
    runId: run.runId,
    cluster: run.cluster,
    version: run.tool.version,
    suites: run.suites.map((s) => ({
      name: s.name,
      file: s.file,
      checks: s.checks.map((c) => ({ id: c.id, name: c.name, kind: c.kind, ...(maxAttempts ? { maxAttempts } : {}) })),
    })),
  };
}
