import { describe, expect, it } from 'vitest';
import type { CurlTry } from '../common/probe-curl.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { echoTest, equalsTest, oneOfTest, tryProblem } from './answers.ts';
import { nodeTargets } from './node-port.ts';

const transfer = (body: string, httpCode = 200) => ({ body, httpCode, connectMs: 1, totalMs: 2, localIp: '10.0.0.9', localPort: 40000, exitCode: 0 });
const tr = (exitCode: number, transfers: ReturnType<typeof transfer>[], error?: string): CurlTry => ({ job: 'p0', n: 1, exitCode, transfers, ...(error ? { error } : {}) });

describe('tryProblem', () => {
  const tests = [echoTest('kconform-n-p0-1'), equalsTest('answered from server port', '6800')];
  it('passes an echo of the nonce message from the right port', () => {
    expect(tryProblem(tr(0, [transfer('kconform-n-p0-1'), transfer('6800')]), tests)).toBeUndefined();
  });
  it('names what went wrong: a stub answer, the wrong server port, a status, a timeout, nothing at all', () => {
    expect(tryProblem(tr(0, [transfer('ok'), transfer('6800')]), tests)).toBe('echo mismatch: expected "kconform-n-p0-1", got "ok"');
    expect(tryProblem(tr(0, [transfer('kconform-n-p0-1'), transfer('8080')]), tests)).toBe('answered from server port "8080", expected "6800"');
    expect(tryProblem(tr(22, [transfer('', 503)]), tests)).toBe('HTTP 503');
    expect(tryProblem(tr(28, [{ ...transfer(''), httpCode: 0, exitCode: 28 }], 'curl: (28) Connection timed out after 1001 milliseconds'), tests)).toBe('timeout');
    expect(tryProblem(tr(7, [], 'curl: (7) Failed to connect'), tests)).toBe('could not connect (Failed to connect)');
    expect(tryProblem(undefined, tests)).toBe('no request was made');
  });
  it('oneOfTest takes any of the names', () => {
    expect(oneOfTest('answered by', ['a', 'b'])('b\n')).toBeUndefined();
    expect(oneOfTest('answered by', ['a', 'b'])('c')).toBe('answered by "c", not one of a, b');
  });
});

describe('nodeTargets', () => {
  const node = (name: string, ready: string, ip?: string): NodeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    status: { conditions: [{ type: 'Ready', status: ready }], addresses: ip ? [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] : [] },
  });
  it('every node by name with its InternalIP; NotReady and address-less nodes are left out with the reason', () => {
    expect(nodeTargets([node('w2', 'True', '172.18.0.4'), node('cp', 'True', '172.18.0.2'), node('w1', 'Unknown', '172.18.0.3'), node('w3', 'True')])).toEqual([
      { name: 'cp', ip: '172.18.0.2' },
      { name: 'w1', ip: '172.18.0.3', excluded: 'not Ready (Ready=Unknown)' },
      { name: 'w2', ip: '172.18.0.4' },
      { name: 'w3', excluded: 'no InternalIP' },
    ]);
  });
});
