// The API client's connection pool against a TLS server that offers HTTP/2 (as
// every kube-apiserver does): kconform asks for HTTP/1.1 and gets it, where the
// library's own pool would take HTTP/2; and closing with a watch in flight ends
// the watch and the connection without an error escaping.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig, RequestContext } from '@kubernetes/client-node';
import { Agent, fetch, ProxyAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApiServerPki } from '../testing/api-pki.ts';
import { Kube } from './client.ts';
import { dispatcherPlan, http1Dispatcher } from './dispatcher.ts';
import { AbortedError } from './errors.ts';

let server: Http2SecureServer;
let kubeconfig = '';
let base = '';
const seen: { url: string; httpVersion: string }[] = [];
const watchClosed: Promise<void>[] = [];

function handle(req: Http2ServerRequest, res: Http2ServerResponse): void {
  seen.push({ url: req.url, httpVersion: req.httpVersion });
  const url = new URL(req.url, 'https://x');
  res.setHeader('content-type', 'application/json');
  if (url.pathname === '/version') return void res.end(JSON.stringify({ gitVersion: 'v1.99.0' }));
  if (url.pathname === '/api/v1') {
    return void res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }] }));
  }
  if (url.pathname === '/api/v1/namespaces/n/configmaps') {
    if (url.searchParams.get('watch') !== '1') return void res.end(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [] }));
    // A watch that stays open, as the API server's do.
    req.on('error', () => undefined); // the client going away is the point
    watchClosed.push(once(res, 'close').then(() => undefined));
    res.writeHead(200);
    res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', namespace: 'n', resourceVersion: '2' } } }) + '\n');
    return;
  }
  res.writeHead(404);
  res.end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' }));
}

beforeAll(async () => {
  const pki = await makeApiServerPki({ serverIps: ['127.0.0.1'] });
  server = createSecureServer({ key: pki.serverKey, cert: pki.serverCert, allowHTTP1: true }, handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'kconform-unit-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'h2', cluster: { server: base, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64') } }],
      users: [{ name: 'u', user: { token: pki.adminToken } }],
      contexts: [{ name: 'h2', context: { cluster: 'h2', user: 'u', namespace: 'n' } }],
      'current-context': 'h2',
    }),
  );
});

afterAll(async () => {
  server?.close();
});

describe('the API connection pool', () => {
  it('speaks HTTP/1.1 to a server that offers HTTP/2, with the kubeconfig CA', async () => {
    // The library's own pool, as a control: this server does negotiate HTTP/2.
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const ctx = new RequestContext(`${base}/version`, 'GET');
    await kc.applySecurityAuthentication(ctx);
    const libraryPool = ctx.getDispatcher();
    const res = await fetch(`${base}/version`, { dispatcher: libraryPool, headers: ctx.getHeaders() });
    await res.text();
    await libraryPool?.close();
    expect(seen.at(-1)?.httpVersion).toBe('2.0');

    const kube = Kube.fromKubeconfig({ kubeconfig });
    try {
      expect(await kube.serverVersion()).toBe('v1.99.0');
      expect(seen.at(-1)).toEqual({ url: '/version', httpVersion: '1.1' });
    } finally {
      await kube.close();
    }
  });

  it('close() with a watch in flight: the watch ends with AbortedError, the server sees the connection go', async () => {
    const kube = Kube.fromKubeconfig({ kubeconfig });
    const events: string[] = [];
    const before = watchClosed.length;
    const watching = kube
      .watch('v1', 'ConfigMap', { namespace: 'n' }, (e) => events.push(`${e.type} ${e.object.metadata?.name}`), new AbortController().signal)
      .catch((e: unknown) => e);
    await expect.poll(() => events.length).toBe(1);
    expect(watchClosed.length).toBe(before + 1);
    await kube.close();
    expect(await watching).toBeInstanceOf(AbortedError);
    await watchClosed[before];
    expect(events).toEqual(['ADDED a']);
    expect(seen.filter((s) => s.url.includes('watch=1')).map((s) => s.httpVersion)).toEqual(['1.1']);
  });

  it("keeps the library's TLS plan: the kubeconfig's CA is what makes the server trusted", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const plan = await dispatcherPlan(kc);
    expect(plan.type).toBe('agent');
    if (plan.type !== 'agent') return;
    expect(String(plan.connect.ca)).toContain('BEGIN CERTIFICATE');
    // Without the CA the same server is refused: the plan carries what matters.
    const bare = http1Dispatcher({ type: 'agent', connect: {} });
    const refused = await fetch(`${base}/version`, { ...(bare ? { dispatcher: bare } : {}) }).then(
      () => 'answered',
      (e: unknown) => String((e as Error).cause ?? e),
    );
    await bare?.close();
    expect(refused).toMatch(/self-signed|unable to verify|certificate/i);
  });

  it('maps each plan to a pool: agent and none to an Agent, a proxy to a ProxyAgent, SOCKS to the library', async () => {
    const pools = [
      http1Dispatcher({ type: 'agent', connect: { rejectUnauthorized: false } }),
      http1Dispatcher({ type: 'none' }),
      http1Dispatcher({ type: 'proxy', uri: 'http://127.0.0.1:3128', requestTls: {}, connect: {} }),
    ];
    expect(pools[0]).toBeInstanceOf(Agent);
    expect(pools[1]).toBeInstanceOf(Agent);
    expect(pools[2]).toBeInstanceOf(ProxyAgent);
    expect(http1Dispatcher({ type: 'socks', uri: 'socks5://127.0.0.1:1080', requestTls: {} })).toBeUndefined();
    for (const p of pools) await p?.close();
  });
});
