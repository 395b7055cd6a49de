// A versioned probe workload for the lifecycle checks (rollout, eviction):
// agnhost netexec servers whose answer names the version of their pod template
// and the pod, and echoes the request's nonce. A request asks
//   /shell?cmd=echo kconform-<nonce>-<i> $VERSION $POD_NAME
// and the server answers {"output":"kconform-<nonce>-<i> v2 web-5d9c-x7k\n"}.
// A template change (the VERSION env var) is a new revision. Pure.
import type { KubeObject } from '../../kube/types.ts';
import { echoMessage, quoteAnswer } from './probe-echo.ts';
import { curlFailure } from './probe-curl.ts';
import { deployment, PROBE_POD_DEFAULTS, PROBE_PORT, spreadOverNodes } from './probe-manifests.ts';
import type { TrafficRecord } from './traffic.ts';

/**
 * http: Ready once the server answers (honest). always: an exec probe that is
 * always true, so the pod is Ready before the server listens (a probe that
 * lies). never: a probe on a port nobody listens on (a version that never
 * becomes Ready: a stuck rollout).
 */
export type Readiness = 'http' | 'always' | 'never';

export interface VersionedTemplateOptions {
  version: string;
  image: string;
  /** Labels of the pods (the Deployment's selector is a subset). */
  labels: Record<string, string>;
  readiness: Readiness;
  /** Seconds the server waits before it listens. */
  startDelaySec: number;
  /**
   * Seconds a terminating pod keeps serving (preStop sleep) so the Service and
   * kube-proxy stop sending to it first: without it, requests in flight to a
   * pod being replaced fail however the rollout is paced.
   */
  preStopSec: number;
  /** Spread pods over nodes (soft). */
  spread?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
}

export const VERSION_PROBE_CONTAINER = 'server';

export function versionedPodTemplate(o: VersionedTemplateOptions): { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } {
  const serve = ['netexec', `--http-port=${PROBE_PORT}`];
  const readinessProbe =
    o.readiness === 'http'
      ? { httpGet: { path: '/hostname', port: PROBE_PORT }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 }
      : o.readiness === 'always'
        ? { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 }
        : { httpGet: { path: '/ready', port: PROBE_PORT + 1 }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 };
  return {
    metadata: { labels: o.labels },
    spec: {
      ...PROBE_POD_DEFAULTS,
      terminationGracePeriodSeconds: o.preStopSec + 5,
      ...(o.spread ? spreadOverNodes(o.spread) : {}),
      ...(o.tolerations?.length ? { tolerations: o.tolerations } : {}),
      containers: [
        {
          name: VERSION_PROBE_CONTAINER,
          image: o.image,
          imagePullPolicy: 'IfNotPresent',
          ...(o.startDelaySec > 0 ? { command: ['sh', '-c', `sleep ${o.startDelaySec}; exec /agnhost ${serve.join(' ')}`] } : { args: serve }),
          env: [
            { name: 'VERSION', value: o.version },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          ports: [{ name: 'http', containerPort: PROBE_PORT, protocol: 'TCP' }],
          readinessProbe,
          ...(o.preStopSec > 0 ? { lifecycle: { preStop: { exec: { command: ['sleep', String(o.preStopSec)] } } } } : {}),
        },
      ],
    },
  };
}

export interface VersionedDeploymentOptions {
  name: string;
  namespace: string;
  replicas: number;
  labels: Record<string, string>;
  selector: Record<string, string>;
  template: ReturnType<typeof versionedPodTemplate>;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  progressDeadlineSeconds?: number;
}

export function versionedDeployment(o: VersionedDeploymentOptions): KubeObject {
  return deployment({
    name: o.name,
    namespace: o.namespace,
    labels: o.labels,
    selector: o.selector,
    replicas: o.replicas,
    template: o.template,
    spec: {
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { ...(o.maxSurge !== undefined ? { maxSurge: o.maxSurge } : {}), ...(o.maxUnavailable !== undefined ? { maxUnavailable: o.maxUnavailable } : {}) },
      },
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
      ...(o.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
    },
  });
}

/** The VERSION env var of a pod template (or pod spec), if any. */
export function versionOf(spec: { containers?: { name?: string; env?: { name: string; value?: string }[] }[] } | undefined): string | undefined {
  const c = spec?.containers?.find((x) => x.name === VERSION_PROBE_CONTAINER) ?? spec?.containers?.[0];
  return c?.env?.find((e) => e.name === 'VERSION')?.value;
}

/** The request URL for traffic.ts: `{i}` is the request number, echoed back with the nonce. */
export function versionUrl(host: string, port: number, nonce: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}/shell?cmd=echo%20${echoMessage(nonce, '{i}')}%20%24VERSION%20%24POD_NAME`;
}

export type Answer =
  | { ok: true; version: string; pod: string }
  | { ok: false; label: string; words: string };

/** Judges one request: answered by a pod of some version with the right echo, or why not. */
export function readAnswer(r: TrafficRecord, nonce: string): Answer {
  if (r.exit !== 0) {
    // With the loop's times, a timeout says which side it was on: no connection (a
    // stale endpoint) or a connection that got no answer in time.
    if (r.exit === 28 && r.connectSec !== undefined) {
      return r.connectSec > 0
        ? { ok: false, label: 'no answer', words: `connected in ${seconds(r.connectSec)}, then no answer within ${seconds(r.totalSec ?? 0)}` }
        : { ok: false, label: 'connect timeout', words: `no connection within ${seconds(r.totalSec ?? 0)}` };
    }
    const f = curlFailure(r.exit);
    return { ok: false, label: f.label, words: f.words };
  }
  if (r.code !== 200) return { ok: false, label: `HTTP ${r.code}`, words: `HTTP ${r.code}${r.body ? ` ${quoteAnswer(r.body)}` : ''}` };
  let output: unknown;
  try {
    output = (JSON.parse(r.body) as { output?: unknown }).output;
  } catch {
    output = undefined;
  }
  const m = typeof output === 'string' ? /^(\S+) (\S+) (\S+)\s*$/.exec(output) : null;
  if (!m) return { ok: false, label: 'invalid', words: `not a version answer: ${quoteAnswer(r.body)}` };
  const expected = echoMessage(nonce, r.i);
  if (m[1] !== expected) return { ok: false, label: 'bad echo', words: `echo mismatch: expected ${JSON.stringify(expected)}, got ${JSON.stringify(m[1])}` };
  return { ok: true, version: m[2]!, pod: m[3]! };
}

export interface SecondBucket {
  /** Seconds since `origin` (harness clock). */
  second: number;
  ok: number;
  failed: number;
  /** Answers per version. */
  versions: Record<string, number>;
}

export interface TrafficSummary {
  total: number;
  ok: number;
  /** Answered requests that took longer than `slowSec` (when given): late, not lost. */
  slow: number;
  /** The longest answered request, seconds (when the log has times). */
  slowestSec?: number;
  failed: number;
  /** Failed requests by label ("no connect", "timeout", "HTTP 503"...). */
  failures: Record<string, number>;
  versions: Record<string, number>;
  pods: Record<string, number>;
  /** Up to 5 failed requests, in words, with their time since `origin`. */
  firstFailures: string[];
  buckets: SecondBucket[];
}

/**
 * Totals and a per-second series of the requests whose start (on the harness
 * clock, pod time + offsetMs) lies in [from, to); `origin` is time zero.
 */
export function summarizeTraffic(records: TrafficRecord[], nonce: string, opts: { offsetMs: number; origin: number; from?: number; to?: number; slowSec?: number }): TrafficSummary {
  const s: TrafficSummary = { total: 0, ok: 0, slow: 0, failed: 0, failures: {}, versions: {}, pods: {}, firstFailures: [], buckets: [] };
  const buckets = new Map<number, SecondBucket>();
  for (const r of records) {
    const t = r.t + opts.offsetMs;
    if (opts.from !== undefined && t < opts.from) continue;
    if (opts.to !== undefined && t >= opts.to) continue;
    const second = Math.floor((t - opts.origin) / 1000);
    let b = buckets.get(second);
    if (!b) buckets.set(second, (b = { second, ok: 0, failed: 0, versions: {} }));
    s.total++;
    const a = readAnswer(r, nonce);
    if (a.ok) {
      s.ok++;
      b.ok++;
      if (r.totalSec !== undefined) {
        s.slowestSec = Math.max(s.slowestSec ?? 0, r.totalSec);
        if (opts.slowSec !== undefined && r.totalSec > opts.slowSec) s.slow++;
      }
      s.versions[a.version] = (s.versions[a.version] ?? 0) + 1;
      s.pods[a.pod] = (s.pods[a.pod] ?? 0) + 1;
      b.versions[a.version] = (b.versions[a.version] ?? 0) + 1;
    } else {
      s.failed++;
      b.failed++;
      s.failures[a.label] = (s.failures[a.label] ?? 0) + 1;
      if (s.firstFailures.length < 5) s.firstFailures.push(`#${r.i} at +${((t - opts.origin) / 1000).toFixed(1)}s: ${a.words}`);
    }
  }
  s.buckets = [...buckets.values()].sort((a, b) => a.second - b.second);
  return s;
}

/** " (3 answered after more than 1s, slowest 2.31s: late, not lost)", or "". */
export function lateText(s: TrafficSummary, slowSec: number): string {
  return s.slow > 0 ? ` (${s.slow} answered after more than ${seconds(slowSec)}, slowest ${seconds(s.slowestSec ?? 0)}: late, not lost)` : '';
}

/** "12 no connect, 1 timeout". */
export function failuresText(f: Record<string, number>): string {
  return Object.entries(f)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

function seconds(sec: number): string {
  return `${sec < 10 ? sec.toFixed(2) : sec.toFixed(1)}s`;
}
