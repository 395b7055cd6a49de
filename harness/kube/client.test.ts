// The client against a scripted HTTP server on loopback: paths, selectors, paging,
// the watch stream (split lines, 410 Gone), error wording, and that the token is
// sent but never shown. The real API server is exercised in client.api.test.ts.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kube } from './client.ts';
import { AbortedError, ClusterUnreachableError, KubeApiError } from './errors.ts';
import type { KubeObject } from './types.ts';

const TOKEN = 'unit-token-7c1d9e';
type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;
const routes: { match: (m: string, p: string) => boolean; handle: Handler }[] = [];
const seen: { method: string; url: string; auth: string | undefined }[] = [];
let server: Server;
let kube: Kube;
let base = '';

function route(method: string, pathname: string, handle: Handler): void {
  routes.unshift({ match: (m, p) => m === method && p === pathname, handle });
}
const json = (res: ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const cm = (name: string, rv: string, data: Record<string, string> = {}) => ({ metadata: { name, namespace: 'n', resourceVersion: rv }, data });

function kubeconfigFor(serverUrl: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kconform-unit-'));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: TOKEN } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'u', namespace: 'n' } }],
      'current-context': 'fake',
    }),
  );
  return file;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
    const r = routes.find((x) => x.match(req.method ?? '', url.pathname));
    if (r) r.handle(req, res, url);
    else json(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kube = Kube.fromKubeconfig({ kubeconfig: kubeconfigFor(base) });
  route('GET', '/api/v1', (_q, res) =>
    json(res, 200, {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
        { name: 'pods', kind: 'Pod', namespaced: true },
        { name: 'pods/log', kind: 'Pod', namespaced: true },
        { name: 'namespaces', kind: 'Namespace', namespaced: false },
        { name: 'events', kind: 'Event', namespaced: true },
      ],
    }),
  );
});

afterAll(async () => {
  await kube?.close();
  server?.closeAllConnections();
  server?.close();
});

describe('Kube over HTTP (scripted server)', () => {
  it('knows its context and server', () => {
    expect(kube.contextName).toBe('fake');
    expect(kube.server).toBe(base);
    expect(kube.defaultNamespace).toBe('n');
  });

  it('lists every page with the selectors, and gives items back their kind', async () => {
    route('GET', '/api/v1/namespaces/n/configmaps', (_q, res, url) => {
      if (url.searchParams.get('continue') === 'p2') return json(res, 200, { metadata: { resourceVersion: '10' }, items: [cm('b', '4')] });
      json(res, 200, { metadata: { resourceVersion: '10', continue: 'p2' }, items: [cm('a', '3')] });
    });
    const items = await kube.list('v1', 'ConfigMap', { namespace: 'n', labelSelector: 'app=web', fieldSelector: 'metadata.name!=x' });
    expect(items.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual(['v1 ConfigMap a', 'v1 ConfigMap b']);
    const calls = seen.filter((s) => s.url.startsWith('/api/v1/namespaces/n/configmaps?'));
    expect(calls).toHaveLength(2);
    const q = new URL(calls[0]!.url, 'http://x').searchParams;
    expect(q.get('labelSelector')).toBe('app=web');
    expect(q.get('fieldSelector')).toBe('metadata.name!=x');
    expect(calls[0]!.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('get returns undefined for a missing object and the object otherwise', async () => {
    route('GET', '/api/v1/namespaces/n/configmaps/there', (_q, res) => json(res, 200, { apiVersion: 'v1', kind: 'ConfigMap', ...cm('there', '5') }));
    expect(await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'missing', namespace: 'n' })).toBeUndefined();
    expect((await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'there' }))?.metadata.name).toBe('there');
  });

  it('turns a Status into a one-line KubeApiError', async () => {
    route('POST', '/api/v1/namespaces/n/configmaps', (_q, res) =>
      json(res, 403, { kind: 'Status', code: 403, reason: 'Forbidden', message: 'configmaps is forbidden: User "student" cannot create resource "configmaps" in API group "" in the namespace "n"' }),
    );
    const err = await kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(403);
    expect((err as Error).message).toBe('ConfigMap c (ns n): forbidden: User "student" cannot create configmaps in namespace "n"');
  });

  it('reports a 401 as unreachable, naming the context but not the token', async () => {
    route('GET', '/version', (_q, res) => json(res, 401, { kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' }));
    const err = await kube.serverVersion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as Error).message).toBe(`the API server at ${base} rejected the credentials of context "fake" (401 Unauthorized)`);
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('says when a kind is not served', async () => {
    await expect(kube.list('example.com/v1', 'Widget')).rejects.toThrow(`the API server at ${base} does not serve kind Widget in example.com/v1 (is its CustomResourceDefinition installed?)`);
  });

  it('waits through a watch whose lines arrive split across chunks, and through 410 Gone', async () => {
    let lists = 0;
    let watches = 0;
    route('GET', '/api/v1/namespaces/n/configmaps', (_q, res, url) => {
      if (url.searchParams.get('watch') !== '1') {
        lists++;
        return json(res, 200, { metadata: { resourceVersion: String(20 * lists) }, items: lists === 1 ? [cm('w', '19')] : [cm('w', '39', { phase: 'half' })] });
      }
      watches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (watches === 1) {
        // The first watch: a bookmark, then 410 Gone (history compacted).
        res.write(JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '21' } } }) + '\n');
        res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }) + '\n');
        return;
      }
      // After the re-list: the awaited change, torn in two chunks.
      const line = JSON.stringify({ type: 'MODIFIED', object: { apiVersion: 'v1', kind: 'ConfigMap', ...cm('w', '41', { phase: 'done' }) } }) + '\n';
      res.write(line.slice(0, 25));
      setTimeout(() => res.end(line.slice(25)), 20);
    });
    const objs = await kube.waitFor<KubeObject & { data?: Record<string, string> }>(
      'v1',
      'ConfigMap',
      { namespace: 'n', name: 'w' },
      (os) => ({ done: os[0]?.data?.['phase'] === 'done', observed: `phase ${os[0]?.data?.['phase'] ?? 'unset'}` }),
      { description: 'ConfigMap w done', timeoutMs: 10_000 },
    );
    expect(objs[0]?.metadata.resourceVersion).toBe('41');
    expect(lists).toBe(2);
    const watchUrls = seen.filter((s) => s.url.includes('watch=1')).map((s) => new URL(s.url, 'http://x').searchParams);
    expect(watchUrls[0]?.get('resourceVersion')).toBe('20');
    expect(watchUrls[0]?.get('fieldSelector')).toBe('metadata.name=w');
    expect(watchUrls[1]?.get('resourceVersion')).toBe('40');
  });

  it('collects events about one object, oldest first', async () => {
    route('GET', '/api/v1/namespaces/n/events', (_q, res, url) => {
      expect(url.searchParams.get('fieldSelector')).toBe('involvedObject.kind=Pod,involvedObject.name=p');
      json(res, 200, {
        metadata: { resourceVersion: '1' },
        items: [
          { involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Started', message: 'Started container', type: 'Normal', lastTimestamp: '2026-01-01T00:00:05Z' },
          { involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Scheduled', message: 'assigned', type: 'Normal', eventTime: '2026-01-01T00:00:01.000000Z' },
        ],
      });
    });
    const events = await kube.events('n', { kind: 'Pod', name: 'p' });
    expect(events.map((e) => e.reason)).toEqual(['Scheduled', 'Started']);
    expect(events[0]).toEqual({ time: '2026-01-01T00:00:01.000Z', type: 'Normal', reason: 'Scheduled', object: 'Pod/p', message: 'assigned' });
  });

  it('returns the eviction answer, with the budget message on 429', async () => {
    route('POST', '/api/v1/namespaces/n/pods/p/eviction', (_q, res) =>
      json(res, 429, {
        kind: 'Status',
        code: 429,
        reason: 'TooManyRequests',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently' }] },
      }),
    );
    expect(await kube.evict('n', 'p')).toEqual({
      status: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.: The disruption budget web-pdb needs 2 healthy pods and has 2 currently",
    });
  });

  it('never put the token anywhere but the Authorization header', () => {
    expect(seen.every((s) => !s.url.includes(TOKEN))).toBe(true);
  });
});

describe('closing the client', () => {
  it('ends a watch in flight at once, and refuses later calls', async () => {
    route('GET', '/api/v1/namespaces/n/pods', (_q, res, url) => {
      if (url.searchParams.get('watch') !== '1') return json(res, 200, { metadata: { resourceVersion: '1' }, items: [] });
      res.writeHead(200, { 'content-type': 'application/json' }); // and never a line more
    });
    const k = Kube.fromKubeconfig({ kubeconfig: kubeconfigFor(base) });
    const started = Date.now();
    const watching = k.watch('v1', 'Pod', { namespace: 'n' }, () => undefined, new AbortController().signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await k.close();
    expect(await watching).toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(k.serverVersion()).rejects.toBeInstanceOf(AbortedError);
  });
});

describe('an API server that is not there', () => {
  it('gives one line naming the server and why', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const k = Kube.fromKubeconfig({ kubeconfig: kubeconfigFor(`http://127.0.0.1:${port}`) });
    const err = await k.serverVersion().catch((e: unknown) => e);
    await k.close();
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as Error).message).toBe(`cannot reach the API server at http://127.0.0.1:${port}: connection refused`);
  });
});
