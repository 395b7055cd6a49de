import { describe, expect, it } from 'vitest';
import type { CurlOutput, CurlTry } from '../common/probe-curl.ts';
import type { PodObject } from '../../kube/objects.ts';
import { diagnoseService, evaluateHttp, podPort, servicePort, type ServiceLike } from './evaluate.ts';

const NONCE = 'f00dcafe';

function ok(body: string, who?: string, code = 200): CurlTry {
  const t = (b: string) => ({ body: b, httpCode: code, connectMs: 1, totalMs: 2, localIp: '10.244.1.9', localPort: 40000 });
  return { job: 'r0', n: 1, exitCode: 0, transfers: who === undefined ? [t(body)] : [t(body), t(who)] };
}
const refused: CurlTry = { job: 'r0', n: 1, exitCode: 7, transfers: [{ body: '', httpCode: 0, connectMs: 0, totalMs: 1, localIp: '', localPort: 0 }], error: 'curl: (7) Failed to connect to 10.96.0.10 port 80: Connection refused' };
const out = (tries: CurlTry[]): CurlOutput => ({ tries, addresses: [], stray: [] });

describe('evaluateHttp', () => {
  it('a single echo request: status and nonce echo, each graded', () => {
    const v = evaluateHttp({ out: out([ok(NONCE)]), requests: 1, expect: undefined, echo: true, nonce: NONCE });
    expect(v.ok).toBe(true);
    expect(v.assertions.map((a) => a.name)).toEqual(['status 200', 'answer echoes the run nonce']);
    expect(v.line).toBe('1 request(s) as expected (HTTP 200 x1)');
  });

  it('a stub that always answers "ok" fails the echo', () => {
    const v = evaluateHttp({ out: out([ok('ok')]), requests: 1, expect: undefined, echo: true, nonce: NONCE });
    expect(v.ok).toBe(false);
    expect(v.assertions).toEqual([
      { name: 'status 200', passed: true },
      { name: 'answer echoes the run nonce', passed: false, message: 'got "ok"' },
    ]);
  });

  it('a refused connection fails every assertion with the curl failure in words', () => {
    const v = evaluateHttp({ out: out([refused]), requests: 1, expect: { body: 'x' }, echo: true, nonce: NONCE });
    expect(v.assertions.every((a) => !a.passed)).toBe(true);
    expect(v.line).toBe('status 200: could not connect (Failed to connect to 10.96.0.10 port 80: Connection refused) (+2 more)');
    expect(v.outcomes).toEqual({ 'could not connect': 1 });
  });

  it('an assertion holds only when it holds for every request; the message counts the misses', () => {
    const v = evaluateHttp({ out: out([ok(NONCE), ok(NONCE, undefined, 503), ok(NONCE)]), requests: 3, expect: undefined, echo: false, nonce: NONCE });
    expect(v.assertions).toEqual([{ name: 'status 200', passed: false, message: 'got 503 (1 of 3 requests)' }]);
  });

  it('fewer requests made than asked is a failure even when each was fine', () => {
    const v = evaluateHttp({ out: out([ok(NONCE)]), requests: 2, expect: undefined, echo: false, nonce: NONCE });
    expect(v.assertions[0]).toEqual({ name: 'status 200', passed: false, message: 'only 1 of 2 requests were made' });
  });

  it('spread: every ready endpoint must answer, answers only from endpoints, and at least minEndpoints', () => {
    const eps = ['web-a', 'web-b', 'web-c'];
    const all = [ok(NONCE, 'web-a'), ok(NONCE, 'web-c'), ok(NONCE, 'web-b'), ok(NONCE, 'web-a')];
    const good = evaluateHttp({ out: out(all), requests: 4, expect: undefined, echo: true, nonce: NONCE, spread: { endpoints: eps, minEndpoints: 3 } });
    expect(good.ok).toBe(true);
    expect(good.answers).toEqual({ 'web-a': 2, 'web-b': 1, 'web-c': 1 });

    const silent = evaluateHttp({ out: out([ok(NONCE, 'web-a'), ok(NONCE, 'web-b')]), requests: 2, expect: undefined, echo: true, nonce: NONCE, spread: { endpoints: eps, minEndpoints: 3 } });
    expect(silent.assertions.at(-1)).toEqual({ name: 'every ready endpoint answered, and only they', passed: false, message: 'web-c never answered' });

    // replicas: 1 -> one endpoint answers everything, but the Service has too few.
    const one = evaluateHttp({ out: out([ok(NONCE, 'web-a'), ok(NONCE, 'web-a')]), requests: 2, expect: undefined, echo: true, nonce: NONCE, spread: { endpoints: ['web-a'], minEndpoints: 3 } });
    expect(one.assertions.map((a) => a.passed)).toEqual([true, true, false, true]);
    expect(one.line).toBe('at least 3 ready endpoint(s): the Service has 1 ready endpoint(s): web-a; answers web-a 2');

    const stranger = evaluateHttp({ out: out([ok(NONCE, 'web-a'), ok(NONCE, 'impostor')]), requests: 2, expect: undefined, echo: true, nonce: NONCE, spread: { endpoints: ['web-a'], minEndpoints: 1 } });
    expect(stranger.assertions.at(-1)?.message).toBe('answers from "impostor", not endpoints of the Service');
  });

  it('body regexes and JSON paths join the status', () => {
    const body = JSON.stringify({ output: NONCE });
    const v = evaluateHttp({ out: out([ok(body)]), requests: 1, expect: { body: '"output"', json: [{ path: '$.output', equals: '{{ nonce }}' }] }, echo: false, nonce: NONCE });
    expect(v.assertions.map((a) => [a.name, a.passed])).toEqual([['status 200', true], ['body matches /"output"/', true], [`body $.output = ${NONCE}`, true]]);
  });
});

const svc: ServiceLike = {
  metadata: { name: 'web', namespace: 'lab1' },
  spec: { selector: { app: 'wbe' }, clusterIP: '10.96.1.2', ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

describe('diagnoseService', () => {
  it('names a selector that matches no pod (the built-in hint keys on it)', () => {
    expect(diagnoseService(svc, [{ metadata: { name: 'web-x' }, endpoints: null }], [], 80)).toBe('Service web (ns lab1) has no ready endpoints: its selector app=wbe matches no pod');
  });
  it('matching pods none of which is Ready', () => {
    const pending: PodObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' }, status: { phase: 'Pending' } };
    expect(diagnoseService({ ...svc, spec: { ...svc.spec, selector: { app: 'web' } } }, [], [pending], 80)).toBe('Service web (ns lab1) has no ready endpoints: 1 pod(s) match app=web but none is Ready (web-1: Pending)');
  });
  it('a port whose targetPort no container has', () => {
    const files: ServiceLike = { metadata: { name: 'files', namespace: 'lab1' }, spec: { selector: { app: 'files' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'rpc', port: 6800, targetPort: 'rpc' }] } };
    const slices = [{ metadata: { name: 'files-1' }, ports: [{ name: 'http', port: 80 }], endpoints: [{ addresses: ['10.244.1.4'], conditions: { ready: true } }] }];
    expect(diagnoseService(files, slices, [], 80)).toBeUndefined();
    expect(diagnoseService(files, slices, [], 6800)).toBe('Service files (ns lab1) has no ready endpoints for port rpc/6800: its pods have no container port named rpc');
  });
});

describe('ports', () => {
  it('a Service port by number or name, or what it has', () => {
    expect(servicePort(svc, undefined)).toEqual({ port: 80 });
    expect(servicePort(svc, 'http')).toEqual({ port: 80 });
    expect(servicePort(svc, 6800)).toEqual({ problem: 'Service web (ns lab1) has no port 6800 (ports: http/80)' });
  });
  it('a pod port by name', () => {
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'files' }, spec: { containers: [{ name: 'c', ports: [{ name: 'rpc', containerPort: 6800 }] }] } } as unknown as PodObject;
    expect(podPort(p, 'rpc')).toEqual({ port: 6800 });
    expect(podPort(p, 'bt')).toEqual({ problem: 'pod files has no container port named bt' });
  });
});
