import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostsToml, mirrorFiles, mirrorFor, mirrorHasImage, mirrorRef, isLoopbackEndpoint, parseRegistryMirror, splitImageRef } from './registry-mirror.ts';

describe('parseRegistryMirror', () => {
  it('takes a host, a URL, or registry=host (plain HTTP unless https:// is written)', () => {
    expect(parseRegistryMirror('10.0.0.5:5000')).toEqual({ registry: '*', endpoint: 'http://10.0.0.5:5000' });
    expect(parseRegistryMirror('https://mirror.example/')).toEqual({ registry: '*', endpoint: 'https://mirror.example' });
    expect(parseRegistryMirror('docker.io=kind-registry:5000')).toEqual({ registry: 'docker.io', endpoint: 'http://kind-registry:5000' });
  });
  it('refuses paths and nonsense', () => {
    expect(() => parseRegistryMirror('http://m:5000/v2/docker')).toThrow(/without a path/);
    expect(() => parseRegistryMirror('http://')).toThrow(/--registry-mirror/);
    expect(() => parseRegistryMirror('Not A Host!=x:1')).toThrow(/not a registry host/);
  });
  it('knows a mirror on this machine\'s loopback (no address for a node)', () => {
    for (const t of ['localhost:5000', '127.0.0.1:5001', 'http://127.0.9.1', 'http://[::1]:5000']) expect(isLoopbackEndpoint(parseRegistryMirror(t).endpoint), t).toBe(true);
    for (const t of ['kind-registry:5000', '172.18.0.1:5000', 'localhost.example:5000', '10.127.0.1:5000']) expect(isLoopbackEndpoint(parseRegistryMirror(t).endpoint), t).toBe(false);
  });
});

describe('image references on a mirror', () => {
  it('splits references with Docker\'s defaults', () => {
    expect(splitImageRef('docker.io/calico/node:v3.30.7')).toEqual({ registry: 'docker.io', path: 'calico/node', reference: 'v3.30.7', digest: false });
    expect(splitImageRef('busybox')).toEqual({ registry: 'docker.io', path: 'library/busybox', reference: 'latest', digest: false });
    expect(splitImageRef('localhost:5000/a/b@sha256:abc')).toEqual({ registry: 'localhost:5000', path: 'a/b', reference: 'sha256:abc', digest: true });
    expect(splitImageRef('registry.k8s.io/e2e-test-images/agnhost:2.66.1').registry).toBe('registry.k8s.io');
  });
  it('keeps the path and drops the upstream host, as containerd asks a mirror', () => {
    const m = parseRegistryMirror('mirror:5000');
    expect(mirrorRef('ghcr.io/flannel-io/flannel:v0.28.4', m)).toBe('mirror:5000/flannel-io/flannel:v0.28.4');
    expect(mirrorRef('docker.io/weaveworks/weave-kube:2.8.1', m)).toBe('mirror:5000/weaveworks/weave-kube:2.8.1');
  });
  it('prefers a registry-specific mirror over a catch-all one', () => {
    const mirrors = [parseRegistryMirror('all:5000'), parseRegistryMirror('docker.io=hub:5000')];
    expect(mirrorFor('docker.io/calico/cni:v3.30.7', mirrors)?.endpoint).toBe('http://hub:5000');
    expect(mirrorFor('quay.io/x/y:1', mirrors)?.endpoint).toBe('http://all:5000');
    expect(mirrorFor('quay.io/x/y:1', [parseRegistryMirror('docker.io=hub:5000')])).toBeUndefined();
  });
});

describe('hosts.toml files', () => {
  it('writes one per known registry (and _default) for a catch-all mirror', () => {
    const files = mirrorFiles([parseRegistryMirror('mirror:5000')]);
    expect(Object.keys(files).sort()).toEqual(['_default/hosts.toml', 'docker.io/hosts.toml', 'ghcr.io/hosts.toml', 'quay.io/hosts.toml', 'registry.k8s.io/hosts.toml']);
    expect(files['docker.io/hosts.toml']).toBe(hostsToml('docker.io', 'http://mirror:5000'));
    expect(files['docker.io/hosts.toml']).toContain('server = "https://registry-1.docker.io"');
    expect(files['docker.io/hosts.toml']).toContain('[host."http://mirror:5000"]\n  capabilities = ["pull", "resolve"]');
    expect(files['_default/hosts.toml']).not.toContain('server =');
  });
  it('names the address the nodes reach when it differs from this machine\'s', () => {
    const files = mirrorFiles([{ ...parseRegistryMirror('http://127.0.0.1:5001'), nodeEndpoint: 'http://172.18.0.1:5001' }]);
    expect(files['registry.k8s.io/hosts.toml']).toContain('[host."http://172.18.0.1:5001"]');
    // Images named by the address this machine knows (--image-repository 127.0.0.1:5001/k8s) too.
    expect(files['127.0.0.1:5001/hosts.toml']).toBe('# written by kconform (--registry-mirror)\nserver = "http://127.0.0.1:5001"\n\n[host."http://172.18.0.1:5001"]\n  capabilities = ["pull", "resolve"]\n');
    expect(Object.entries(files).filter(([k]) => !k.startsWith('127.')).map(([, v]) => v).join('')).not.toContain('127.0.0.1');
  });
});

describe('mirrorHasImage', () => {
  let url = '';
  const seen: { method?: string | undefined; url?: string | undefined; accept?: string | undefined }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, accept: req.headers.accept });
    res.statusCode = req.url === '/v2/calico/node/manifests/v3.30.7' ? 200 : req.url?.startsWith('/v2/private') ? 401 : 404;
    res.end();
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('asks for the manifest with HEAD and reads the answer', async () => {
    const m = { registry: '*', endpoint: url };
    expect(await mirrorHasImage('docker.io/calico/node:v3.30.7', m)).toEqual({ ok: true, reason: 'present' });
    expect(seen[0]).toMatchObject({ method: 'HEAD', url: '/v2/calico/node/manifests/v3.30.7' });
    expect(seen[0]!.accept).toContain('application/vnd.oci.image.index.v1+json');
    expect((await mirrorHasImage('docker.io/calico/cni:v3.30.7', m)).reason).toMatch(/not on mirror .* \(HTTP 404 for calico\/cni:v3.30.7\)/);
    expect((await mirrorHasImage('docker.io/private/x:1', m)).reason).toMatch(/asks for credentials \(HTTP 401\)/);
  });
  it('says when the mirror does not answer, without hanging', async () => {
    const r = await mirrorHasImage('docker.io/calico/node:v3.30.7', { registry: '*', endpoint: 'http://127.0.0.1:1' }, 2000);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/did not answer/);
  });
});
