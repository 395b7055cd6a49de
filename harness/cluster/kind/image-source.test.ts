import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseImageSource, probeRegistry, UPSTREAM_PROBES } from './image-source.ts';

let server: Server;
let mirror: string;
let closed: string;

beforeAll(async () => {
  // A registry's /v2/ answers anonymous clients with 401 or 200: either means "a registry is here".
  server = createServer((req, res) => {
    res.statusCode = req.url === '/v2/' ? 401 : 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const other = createServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  closed = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  await new Promise<void>((r) => other.close(() => r()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('--images', () => {
  it('build and pull are taken as asked, and say so', async () => {
    expect(await chooseImageSource({ mode: 'build', mirrors: [], builtImagesPresent: false })).toMatchObject({ source: 'build', why: expect.stringMatching(/--images build/) });
    expect(await chooseImageSource({ mode: 'pull', mirrors: [{ registry: '*', endpoint: mirror }], builtImagesPresent: true })).toEqual({ source: 'pull', why: `images: pull (--images pull) through ${mirror}` });
  });

  it('auto with the built images all present: build, nothing is fetched or probed', async () => {
    const asked: string[] = [];
    const c = await chooseImageSource({ mode: 'auto', mirrors: [], builtImagesPresent: true, probe: async (url) => (asked.push(url), { url, ok: true, detail: '' }) });
    expect(c.source).toBe('build');
    expect(asked).toEqual([]);
  });

  it('auto with a mirror that answers (a real HTTP server on loopback): pull, naming it', async () => {
    const c = await chooseImageSource({ mode: 'auto', mirrors: [{ registry: '*', endpoint: mirror }], builtImagesPresent: false });
    expect(c.source).toBe('pull');
    expect(c.why).toMatch(new RegExp(`^images: pull \\(auto\\): ${mirror} answered \\(HTTP 401 in \\d+ ms\\)$`));
  });

  it('auto with a mirror that does not answer: build offline, with why', async () => {
    const c = await chooseImageSource({ mode: 'auto', mirrors: [{ registry: '*', endpoint: closed }], builtImagesPresent: false });
    expect(c).toEqual({ source: 'build', why: `images: build offline (auto): no mirror answered (${closed}: ECONNREFUSED)` });
  });

  it('auto without a mirror asks the upstream registries (here: faked, none answering)', async () => {
    const asked: string[] = [];
    const c = await chooseImageSource({ mode: 'auto', mirrors: [], builtImagesPresent: false, probe: async (url) => (asked.push(url), { url, ok: false, detail: 'ENOTFOUND' }) });
    expect(asked).toEqual(UPSTREAM_PROBES);
    expect(c.why).toBe('images: build offline (auto): no registry answered (https://registry-1.docker.io: ENOTFOUND; https://registry.k8s.io: ENOTFOUND)');
  });

  it('probeRegistry gives up after its timeout', async () => {
    const slow = createServer(() => {});
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/v2/`;
    const t0 = Date.now();
    const p = await probeRegistry(url, 300);
    expect(p).toEqual({ url, ok: false, detail: 'no answer within 0.3s' });
    expect(Date.now() - t0).toBeLessThan(3000);
    slow.closeAllConnections();
    await new Promise<void>((r) => slow.close(() => r()));
  });
});

describe('--images auto after an imported bundle', () => {
  it("pull mode's images all present (kind's node image, the CNI's): pull, nothing probed", async () => {
    const asked: string[] = [];
    const c = await chooseImageSource({ mode: 'auto', mirrors: [], builtImagesPresent: false, pullImagesPresent: true, probe: async (url) => (asked.push(url), { url, ok: false, detail: '' }) });
    expect(c).toEqual({ source: 'pull', why: "images: pull (auto): kind's node image and the CNI's images are all in Docker already; nothing to fetch" });
    expect(asked).toEqual([]);
  });
});
