// Bad kubeconfigs and servers that are not Kubernetes API servers (issue 17): each
// is one line naming the file and field, or saying what answered, within the
// deadline, and never a credential. Fake servers on 127.0.0.1 only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTimeoutMs } from '../cli/connect.ts';
import { makeApiServerPki, type ApiServerPki } from '../testing/api-pki.ts';
import { Kube } from './client.ts';
import { ClusterUnreachableError } from './errors.ts';
import { loadKubeconfig } from './config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kconform-hostile-kc-'));
const TOKEN = 'SECRET-KUBE-TOKEN-4242';
const b64 = (s: string) => Buffer.from(s).toString('base64');
let pki: ApiServerPki;

function kubeconfig(name: string, cluster: Record<string, unknown>, user: Record<string, unknown> = { token: TOKEN }): string {
  const file = path.join(dir, name);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'c',
    clusters: [{ name: 'other', cluster: { server: 'https://10.0.0.1:6443' } }, { name: 'k', cluster }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    users: [{ name: 'u', user }],
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

function loadFailure(file: string): string {
  try {
    loadKubeconfig({ kubeconfig: file });
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as ClusterUnreachableError).reason).toBe('KubeconfigInvalid');
    const m = (err as Error).message;
    expect(m).not.toContain('\n');
    for (const secret of [TOKEN, 'SECRET']) expect(m).not.toContain(secret);
    return m;
  }
  throw new Error(`expected ${file} to be refused`);
}

beforeAll(async () => {
  pki = await makeApiServerPki({ serverIps: ['127.0.0.1'] });
});

describe('a bad kubeconfig names the file and the field', () => {
  it.each([
    ['garbage server URL', { server: '::not a url::' }, undefined, 'clusters[1].cluster.server: not a URL; expected https://host:port'],
    ['user:password in the URL', { server: 'https://admin:SECRET-PW@10.1.2.3:6443' }, undefined, 'clusters[1].cluster.server: user:password in the URL is not supported'],
    ['plain http without insecure-skip-tls-verify', { server: 'http://10.1.2.3:8080' }, undefined, 'clusters[1].cluster.server: expected an https:// URL (plain http:// is refused unless insecure-skip-tls-verify is true)'],
    ['another scheme', { server: 'ftp://10.1.2.3' }, undefined, "clusters[1].cluster.server: expected an https:// URL, got the scheme 'ftp:'"],
    ['CA data that is not PEM', { server: 'https://h:6443', 'certificate-authority-data': b64('SECRET-CA') }, undefined, 'clusters[1].cluster.certificate-authority-data: not a PEM certificate'],
    ['a missing CA file', { server: 'https://h:6443', 'certificate-authority': '/nonexistent/ca.crt' }, undefined, 'clusters[1].cluster.certificate-authority: /nonexistent/ca.crt not found'],
    ['client key data that is not PEM', { server: 'https://h:6443' }, 'bad-key', 'users[0].user.client-key-data: not a PEM key'],
    ['a PEM block that does not decode', { server: 'https://h:6443' }, 'broken-key', 'users[0].user.client-key-data: not a PEM key (the PEM block does not decode)'],
    ['a key that does not belong to the certificate', { server: 'https://h:6443' }, 'other-key', 'users[0].user.client-key-data: does not belong to client-certificate-data'],
    ['a certificate without a key', { server: 'https://h:6443' }, 'no-key', 'users[0].user.client-certificate-data: given without client-key-data'],
  ])('%s', (name, cluster, userKind, expected) => {
    const users: Record<string, Record<string, unknown>> = {
      'bad-key': { 'client-certificate-data': b64(pki.serverCert), 'client-key-data': b64('SECRET-KEY-BYTES') },
      'broken-key': { 'client-certificate-data': b64(pki.serverCert), 'client-key-data': b64('-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\n') },
      'other-key': { 'client-certificate-data': b64(pki.serverCert), 'client-key-data': b64(pki.serviceAccountKey) },
      'no-key': { 'client-certificate-data': b64(pki.serverCert) },
    };
    const file = kubeconfig(`${name.replace(/\W+/g, '-')}.json`, cluster, userKind ? users[userKind] : undefined);
    expect(loadFailure(file)).toContain(`kubeconfig ${file}: ${expected}`);
  });

  it('a matching certificate and key load', () => {
    const file = kubeconfig('good.json', { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(pki.caCert) }, { 'client-certificate-data': b64(pki.serverCert), 'client-key-data': b64(pki.serverKey) });
    expect(loadKubeconfig({ kubeconfig: file }).server).toBe('https://127.0.0.1:6443');
  });
});

describe('a server that is not a Kubernetes API server', () => {
  const sockets = new Set<net.Socket>();
  let silent: net.Server;
  let web: http.Server;
  let html: http.Server;
  let tls: https.Server;
  const port = (s: net.Server) => (s.address() as net.AddressInfo).port;
  const listen = (s: net.Server) => new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));

  beforeAll(async () => {
    silent = net.createServer((s) => sockets.add(s));
    web = http.createServer((_req, res) => void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found'));
    html = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Welcome to nginx!</title></head></html>'));
    tls = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401,"reason":"Unauthorized"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"gitVersion":"v1.99.0"}');
    });
    await Promise.all([listen(silent), listen(web), listen(html), listen(tls)]);
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    silent.close();
    web.closeAllConnections();
    web.close();
    html.closeAllConnections();
    html.close();
    tls.closeAllConnections();
    tls.close();
  });

  async function probe(server: string, timeoutMs = 5_000, extra: Record<string, unknown> = {}): Promise<{ message: string; ms: number; version?: string }> {
    const file = kubeconfig(`probe-${Math.random().toString(36).slice(2)}.json`, { server, ...extra });
    const kube = Kube.fromKubeconfig({ kubeconfig: file });
    const t0 = performance.now();
    try {
      const version = await kube.probe(timeoutMs);
      return { message: '', ms: performance.now() - t0, version };
    } catch (err) {
      expect(err).toBeInstanceOf(ClusterUnreachableError);
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      expect(message).not.toContain(TOKEN);
      return { message, ms: performance.now() - t0 };
    } finally {
      await kube.close();
    }
  }

  it('an HTML page says so', async () => {
    const r = await probe(`http://127.0.0.1:${port(html)}`, 5_000, { 'insecure-skip-tls-verify': true });
    expect(r.message).toBe(`the server at http://127.0.0.1:${port(html)} is not a Kubernetes API server: GET /version answered HTTP 200 text/html, a page titled "Welcome to nginx!"`);
  });

  it('a 404 on /version says so', async () => {
    const r = await probe(`http://127.0.0.1:${port(web)}`, 5_000, { 'insecure-skip-tls-verify': true });
    expect(r.message).toBe(`the server at http://127.0.0.1:${port(web)} is not a Kubernetes API server: GET /version answered HTTP 404 text/plain, "404 page not found"`);
  });

  it('TLS to a plain HTTP port says what answered', async () => {
    const r = await probe(`https://127.0.0.1:${port(web)}`, 5_000, { 'insecure-skip-tls-verify': true });
    expect(r.message).toBe(`cannot reach the API server at https://127.0.0.1:${port(web)}: TLS handshake failed (is the server speaking plain HTTP?)`);
  });

  it('a server that accepts the connection and never answers is given up at the deadline', async () => {
    for (const scheme of ['http', 'https']) {
      const r = await probe(`${scheme}://127.0.0.1:${port(silent)}`, 1_000, { 'insecure-skip-tls-verify': true });
      expect(r.message).toBe(`cannot reach the API server at ${scheme}://127.0.0.1:${port(silent)}: no answer within 1s`);
      expect(r.ms).toBeLessThan(5_000);
    }
  });

  it('the real thing answers with its version; a wrong token is a 401 line', async () => {
    const ok = await probe(`https://127.0.0.1:${port(tls)}`, 5_000, { 'certificate-authority-data': b64(pki.caCert) });
    expect(ok.version).toBe('v1.99.0');
    const file = kubeconfig('wrong-token.json', { server: `https://127.0.0.1:${port(tls)}`, 'certificate-authority-data': b64(pki.caCert) }, { token: 'SECRET-WRONG' });
    const kube = Kube.fromKubeconfig({ kubeconfig: file });
    await expect(kube.probe(5_000)).rejects.toThrow(/rejected the credentials of context "c" \(401 Unauthorized\)/);
    await kube.close();
  });

  it('a JSON request answered with HTML is a one-line error, not an internal error', async () => {
    const file = kubeconfig('html-json.json', { server: `http://127.0.0.1:${port(html)}`, 'insecure-skip-tls-verify': true });
    const kube = Kube.fromKubeconfig({ kubeconfig: file });
    await expect(kube.serverVersion()).rejects.toThrow(ClusterUnreachableError);
    await kube.close();
  });
});

describe('KCONFORM_CONNECT_TIMEOUT', () => {
  it('defaults to 10s, takes a duration from 1s to 10m, and refuses others with exit 2', () => {
    expect(connectTimeoutMs({})).toBe(10_000);
    expect(connectTimeoutMs({ KCONFORM_CONNECT_TIMEOUT: '3s' })).toBe(3_000);
    for (const bad of ['0s', 'soon', '11m']) {
      expect(() => connectTimeoutMs({ KCONFORM_CONNECT_TIMEOUT: bad })).toThrow(/^KCONFORM_CONNECT_TIMEOUT: expected a duration/);
    }
  });
});
