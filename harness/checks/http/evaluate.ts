// Pure decision of the `http` check: the curl tries of one round against the
// expectations (status, body regexes, JSON paths, nonce echo) and, for spread,
// which endpoints answered. Each expectation is one graded assertion that holds
// only when it holds for every request; its message is the first miss.
import type { HttpSpec } from './spec.ts';
import type { Assertion } from '../../results/model.ts';
import { curlFailure, type CurlOutput, type CurlTry } from '../common/probe-curl.ts';
import { quoteAnswer } from '../common/probe-echo.ts';
import type { EndpointSliceObject } from '../common/probe-slices.ts';
import { podReady, podState, type PodObject } from '../../kube/objects.ts';
import { firstFailure, judgeJson, judgeRegexes, regexList } from '../exec/output-expect.ts';

export interface HttpInput {
  out: CurlOutput | undefined;
  requests: number;
  expect: HttpSpec['expect'];
  /** The body must contain the nonce. */
  echo: boolean;
  nonce: string;
  /** Spread: the Service's ready endpoints (pod names) and how many it must have. */
  spread?: { endpoints: string[]; minEndpoints: number };
}

export interface HttpVerdict {
  ok: boolean;
  line: string;
  assertions: Assertion[];
  /** Answers per endpoint (spread), including endpoints that never answered (0). */
  answers: Record<string, number>;
  /** HTTP status (or curl failure) per request, counted. */
  outcomes: Record<string, number>;
  /** First body seen, for evidence. */
  sample?: string;
}

export function evaluateHttp(input: HttpInput): HttpVerdict {
  const tries = input.out?.tries ?? [];
  const statuses = input.expect?.status === undefined ? [200] : Array.isArray(input.expect.status) ? input.expect.status : [input.expect.status];
  const outcomes: Record<string, number> = {};
  const per: Assertion[][] = [];
  const answers: Record<string, number> = Object.fromEntries((input.spread?.endpoints ?? []).map((e) => [e, 0]));
  const strangers = new Map<string, number>();
  let sample: string | undefined;

  for (const t of tries) {
    const main = t.transfers[0];
    const key = main && main.httpCode > 0 ? `HTTP ${main.httpCode}` : curlFailure(t.exitCode, t.error).words.replace(/ \(.*\)$/, '');
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    per.push(judgeTry(t, input, statuses));
    if (main && sample === undefined) sample = main.body;
    if (input.spread) {
      const who = t.transfers[1]?.body.trim();
      if (who !== undefined && t.exitCode === 0) {
        if (who in answers) answers[who]! += 1;
        else strangers.set(who, (strangers.get(who) ?? 0) + 1);
      }
    }
  }

  const names = per[0]?.map((a) => a.name) ?? judgeTry(undefined, input, statuses).map((a) => a.name);
  const assertions: Assertion[] = names.map((name, i) => {
    const miss = per.findIndex((as) => !as[i]?.passed);
    const passed = tries.length >= input.requests && miss === -1;
    if (passed) return { name, passed };
    const failedCount = per.filter((as) => !as[i]?.passed).length;
    const message = miss === -1 ? `only ${tries.length} of ${input.requests} requests were made` : `${per[miss]![i]!.message ?? 'failed'}${input.requests > 1 ? ` (${failedCount} of ${tries.length} requests)` : ''}`;
    return { name, passed, message };
  });

  if (input.spread) {
    const { endpoints, minEndpoints } = input.spread;
    const silent = endpoints.filter((e) => (answers[e] ?? 0) === 0);
    assertions.push({
      name: `at least ${minEndpoints} ready endpoint(s)`,
      passed: endpoints.length >= minEndpoints,
      ...(endpoints.length >= minEndpoints ? {} : { message: `the Service has ${endpoints.length} ready endpoint(s)${endpoints.length ? `: ${endpoints.join(', ')}` : ''}` }),
    });
    const everyone = endpoints.length > 0 && silent.length === 0 && strangers.size === 0;
    assertions.push({
      name: 'every ready endpoint answered, and only they',
      passed: everyone,
      ...(everyone
        ? {}
        : {
            message: endpoints.length === 0
              ? 'no ready endpoints'
              : [silent.length ? `${silent.join(', ')} never answered` : '', strangers.size ? `answers from ${[...strangers.keys()].map((s) => quoteAnswer(s, 30)).join(', ')}, not endpoints of the Service` : ''].filter(Boolean).join('; '),
          }),
    });
  }

  const ok = assertions.every((a) => a.passed);
  const counts = Object.entries(outcomes).map(([k, n]) => `${k} x${n}`).join(', ') || 'no requests';
  const spreadText = input.spread ? `; answers ${Object.entries(answers).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}` : '';
  const failed = assertions.filter((a) => !a.passed);
  const line = ok
    ? `${tries.length} request(s) as expected (${counts})${spreadText}`
    : `${firstFailure(assertions)}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}${input.spread ? spreadText : ''}`;
  return { ok, line, assertions, answers, outcomes, ...(sample !== undefined ? { sample } : {}) };
}

/** Assertions for one request, in a fixed order (status, echo, body, json). */
function judgeTry(t: CurlTry | undefined, input: HttpInput, statuses: number[]): Assertion[] {
  const main = t?.transfers[0];
  const transport = !t || !main || main.httpCode === 0 ? (t ? curlFailure(t.exitCode, t.error).words : 'no request made') : undefined;
  const body = main?.body ?? '';
  const list: Assertion[] = [];
  const statusOk = !transport && statuses.includes(main!.httpCode);
  list.push({ name: `status ${statuses.join(' or ')}`, passed: statusOk, ...(statusOk ? {} : { message: transport ?? `got ${main!.httpCode}` }) });
  if (input.echo) {
    const echoed = !transport && body.includes(input.nonce);
    list.push({ name: 'answer echoes the run nonce', passed: echoed, ...(echoed ? {} : { message: transport ?? `got ${quoteAnswer(body)}` }) });
  }
  const rest = [...judgeRegexes('body', body, regexList(input.expect?.body), input.nonce), ...(input.expect?.json ? judgeJson('body', body, input.expect.json, input.nonce) : [])];
  for (const a of rest) list.push(transport ? { ...a, passed: false, message: transport } : a);
  return list;
}

export interface ServiceLike {
  metadata: { name?: string; namespace?: string };
  spec?: { selector?: Record<string, string>; clusterIP?: string; type?: string; ports?: { name?: string; port: number; targetPort?: number | string }[] };
}

/**
 * Why a Service cannot answer on `port`, in words the built-in hints recognise:
 * no selector, a selector that matches no pod, matching pods none of which is
 * Ready, or no endpoint serving that port (a targetPort name no container has).
 * Undefined when it has ready endpoints for the port.
 */
export function diagnoseService(svc: ServiceLike, slices: SliceWithPorts[], pods: PodObject[], port?: number): string | undefined {
  const name = `Service ${svc.metadata.name} (ns ${svc.metadata.namespace})`;
  const spec = (svc.spec?.ports ?? []).find((p) => p.port === port);
  const readyIn = (list: SliceWithPorts[]) => list.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
  const ready = readyIn(slices);
  if (ready.length > 0) {
    if (!spec) return undefined;
    // Slices carry the resolved ports; a port no pod serves has no slice with ready endpoints.
    const forPort = slices.filter((s) => (s.ports ?? []).some((p) => (spec.name ? p.name === spec.name : true)));
    if (readyIn(forPort).length > 0) return undefined;
    const target = spec.targetPort ?? spec.port;
    return `${name} has no ready endpoints for port ${spec.name ? `${spec.name}/` : ''}${spec.port}: its pods have no container port ${typeof target === 'string' ? `named ${target}` : String(target)}`;
  }
  const selector = svc.spec?.selector ?? {};
  const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  if (!sel) return `${name} has no ready endpoints: it has no selector`;
  if (pods.length === 0) return `${name} has no ready endpoints: its selector ${sel} matches no pod`;
  const notReady = pods.filter((p) => !podReady(p));
  return `${name} has no ready endpoints: ${pods.length} pod(s) match ${sel} but none is Ready (${notReady.slice(0, 3).map((p) => `${p.metadata.name}: ${podState(p)}`).join(', ')})`;
}

export type SliceWithPorts = EndpointSliceObject & { ports?: { name?: string; port?: number }[] | null };

/** The Service port by number or name (default: the first), or a problem in words. */
export function servicePort(svc: ServiceLike, want: number | string | undefined): { port: number } | { problem: string } {
  const ports = svc.spec?.ports ?? [];
  const list = ports.map((p) => (p.name ? `${p.name}/${p.port}` : String(p.port))).join(', ') || 'none';
  const name = `Service ${svc.metadata.name} (ns ${svc.metadata.namespace})`;
  if (want === undefined) return ports[0] ? { port: ports[0].port } : { problem: `${name} has no ports` };
  const hit = ports.find((p) => (typeof want === 'number' ? p.port === want : p.name === want));
  return hit ? { port: hit.port } : { problem: `${name} has no port ${typeof want === 'number' ? want : `named ${want}`} (ports: ${list})` };
}

/** A container port of a pod by number (as is) or by name. */
export function podPort(pod: PodObject, want: number | string): { port: number } | { problem: string } {
  if (typeof want === 'number') return { port: want };
  const containers = (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[];
  const hit = containers.flatMap((c) => c.ports ?? []).find((p) => p.name === want);
  return hit ? { port: hit.containerPort } : { problem: `pod ${pod.metadata.name} has no container port named ${want}` };
}
