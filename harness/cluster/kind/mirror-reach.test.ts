import { describe, expect, it } from 'vitest';
import { ipv4Gateway, MirrorUnreachableError, nodeReachableMirrors, publishedPort, type ReachDeps } from './mirror-reach.ts';
import { parseRegistryMirror } from './registry-mirror.ts';

function deps(o: { publisher?: { container: string; port: number }; gatewayAnswers?: boolean }, seen: string[]): ReachDeps {
  return {
    publisher: async (p) => (seen.push(`publisher ${p}`), o.publisher),
    connect: async (c) => void seen.push(`connect ${c}`),
    gateway: async () => (seen.push('gateway'), '172.18.0.1'),
    probe: async (url) => (seen.push(`probe ${url}`), o.gatewayAnswers ? { url, ok: true, detail: 'HTTP 200 in 1 ms' } : { url, ok: false, detail: 'ECONNREFUSED' }),
  };
}

describe('nodeReachableMirrors', () => {
  it('leaves a mirror the nodes can name as it is, asking nothing', async () => {
    const seen: string[] = [];
    const m = parseRegistryMirror('mirror.example:5000');
    expect(await nodeReachableMirrors([m], () => {}, deps({}, seen))).toEqual([m]);
    expect(seen).toEqual([]);
  });
  it('a container publishing the port: connected to the kind network and named there, in one line', async () => {
    const seen: string[] = [];
    const lines: string[] = [];
    const out = await nodeReachableMirrors([parseRegistryMirror('http://127.0.0.1:5001')], (l) => lines.push(l), deps({ publisher: { container: 'kind-registry', port: 5000 } }, seen));
    expect(out[0]).toEqual({ registry: '*', endpoint: 'http://127.0.0.1:5001', nodeEndpoint: 'http://kind-registry:5000' });
    expect(seen).toEqual(['publisher 5001', 'connect kind-registry']);
    expect(lines).toEqual(['http://127.0.0.1:5001: the nodes reach it as http://kind-registry:5000 (container kind-registry publishes port 5001; connected to the kind network)']);
  });
  it('else the kind network\'s gateway when the registry answers there too', async () => {
    const seen: string[] = [];
    const lines: string[] = [];
    const out = await nodeReachableMirrors([parseRegistryMirror('localhost:5001')], (l) => lines.push(l), deps({ gatewayAnswers: true }, seen));
    expect(out[0]?.nodeEndpoint).toBe('http://172.18.0.1:5001');
    expect(seen).toEqual(['publisher 5001', 'gateway', 'probe http://172.18.0.1:5001/v2/']);
    expect(lines[0]).toBe('http://localhost:5001: the nodes reach it as http://172.18.0.1:5001 (the kind network\'s gateway; it listens there too)');
  });
  it('else refused at once, naming the mirror, what was tried and the fixes', async () => {
    const err = await nodeReachableMirrors([parseRegistryMirror('http://127.0.0.1:5001')], () => {}, deps({}, [])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MirrorUnreachableError);
    expect((err as Error).message).toBe(
      'registry mirror http://127.0.0.1:5001: the kind nodes cannot reach it (their 127.0.0.1 is the node itself): it does not answer on the kind network\'s gateway 172.18.0.1:5001 (ECONNREFUSED) and no container publishes port 5001. ' +
        'Make it listen on 0.0.0.0:5001 (or 172.18.0.1:5001) too, or run it as a container publishing 127.0.0.1:5001, or give an address the nodes reach.',
    );
  });
});

describe('publishedPort', () => {
  it('reads docker ps port lists: loopback or every address, TCP, the right host port', () => {
    expect(publishedPort('127.0.0.1:5001->5000/tcp', 5001)).toBe(5000);
    expect(publishedPort('0.0.0.0:5001->5000/tcp, :::5001->5000/tcp', 5001)).toBe(5000);
    expect(publishedPort('127.0.0.1:36123->6443/tcp', 5001)).toBeUndefined();
    expect(publishedPort('10.0.0.5:5001->5000/tcp', 5001)).toBeUndefined();
    expect(publishedPort('5000/tcp', 5000)).toBeUndefined();
    expect(publishedPort('', 5001)).toBeUndefined();
  });
});

describe('ipv4Gateway', () => {
  it('the recorded gateway, else the subnet\'s first address (a network made with --subnet only records none)', () => {
    expect(ipv4Gateway('[{"Subnet":"fc00:f853:ccd:e793::/64","Gateway":"fc00:f853:ccd:e793::1"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]')).toBe('172.18.0.1');
    expect(ipv4Gateway('[{"Subnet":"10.213.0.0/24"}]')).toBe('10.213.0.1');
    expect(ipv4Gateway('[{"Subnet":"10.213.4.0/22"}]')).toBe('10.213.4.1');
    expect(ipv4Gateway('[{"Subnet":"fc00::/64"}]')).toBeUndefined();
    expect(ipv4Gateway('null')).toBeUndefined();
    expect(ipv4Gateway('')).toBeUndefined();
  });
});
