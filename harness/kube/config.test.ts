import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterUnreachableError } from './errors.ts';
import { kubeconfigFiles, loadKubeconfig, safeServerUrl } from './config.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'kconform-kc-'));
const SECRET = 'tok-0123456789abcdef';

function write(name: string, doc: object | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

function config(contexts: string[], current?: string, server = 'https://10.1.2.3:6443') {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: SECRET } }],
    contexts: contexts.map((name) => ({ name, context: { cluster: 'c', user: 'u', ...(name === 'ns-ctx' ? { namespace: 'team-a' } : {}) } })),
    ...(current ? { 'current-context': current } : {}),
  };
}

function failure(fn: () => unknown): ClusterUnreachableError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    const e = err as ClusterUnreachableError;
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain(SECRET);
    return e;
  }
  throw new Error('expected a failure');
}

describe('which kubeconfig files', () => {
  it('prefers the flag, then $KUBECONFIG (a list), then ~/.kube/config', () => {
    expect(kubeconfigFiles({ kubeconfig: '/a', env: { KUBECONFIG: '/b' } })).toEqual({ files: ['/a'], explicit: 'flag' });
    expect(kubeconfigFiles({ env: { KUBECONFIG: `/b${path.delimiter}/c${path.delimiter}` } })).toEqual({ files: ['/b', '/c'], explicit: 'env' });
    expect(kubeconfigFiles({ env: {}, home: '/home/me' })).toEqual({ files: ['/home/me/.kube/config'], explicit: 'default' });
  });
});

describe('loadKubeconfig', () => {
  it('loads the current context and reports its server without a trailing slash', () => {
    const file = write('ok.yaml', config(['a', 'b'], 'b', 'https://10.1.2.3:6443/'));
    const loaded = loadKubeconfig({ kubeconfig: file });
    expect(loaded.contextName).toBe('b');
    expect(loaded.server).toBe('https://10.1.2.3:6443');
  });

  it('refuses user:password in the server URL, naming the file and the field (fetch cannot send it)', () => {
    const file = write('userinfo.yaml', config(['a'], 'a', 'https://admin:pw@10.1.2.3:6443/'));
    expect(failure(() => loadKubeconfig({ kubeconfig: file })).message).toBe(
      `kubeconfig ${file}: clusters[0].cluster.server: user:password in the URL is not supported; expected the credentials under users[].user`,
    );
  });

  it('picks the context asked for', () => {
    const file = write('two.yaml', config(['a', 'b'], 'a'));
    expect(loadKubeconfig({ kubeconfig: file, context: 'b' }).contextName).toBe('b');
  });

  it('names the missing file', () => {
    const e = failure(() => loadKubeconfig({ kubeconfig: path.join(dir, 'nope.yaml') }));
    expect(e.message).toBe(`kubeconfig ${path.join(dir, 'nope.yaml')} not found`);
    expect(failure(() => loadKubeconfig({ env: {}, home: dir })).message).toMatch(/^no kubeconfig: .*\.kube\/config not found \(pass --kubeconfig or set KUBECONFIG\)$/);
    expect(failure(() => loadKubeconfig({ env: { KUBECONFIG: '/x/1:/x/2' } })).message).toBe('no kubeconfig: none of the KUBECONFIG files exist (/x/1, /x/2)');
  });

  it('names a missing context and lists the ones that exist', () => {
    const file = write('ctx.yaml', config(['kind-a', 'prod'], 'prod'));
    expect(failure(() => loadKubeconfig({ kubeconfig: file, context: 'kind-b' })).message).toBe(`context "kind-b" not found in ${file} (contexts: kind-a, prod)`);
  });

  it('asks for --context when there is no current-context', () => {
    const file = write('nocur.yaml', config(['a']));
    expect(failure(() => loadKubeconfig({ kubeconfig: file })).message).toBe(`kubeconfig ${file} has no current-context; pass --context (contexts: a)`);
  });

  it('never quotes the file when it is not valid YAML', () => {
    const file = write('bad.yaml', `users:\n- name: u\n  user:\n    token: ${SECRET}\n  - : [\n`);
    const e = failure(() => loadKubeconfig({ kubeconfig: file }));
    expect(e.message).toMatch(/is not valid: YAML error at line \d+, column \d+/);
  });

  it('merges a KUBECONFIG list with the first file winning', () => {
    const first = write('m1.yaml', config(['shared'], 'shared', 'https://first:6443'));
    const second = write('m2.yaml', { ...config(['shared', 'only-second'], 'only-second', 'https://second:6443'), clusters: [{ name: 'c', cluster: { server: 'https://second:6443' } }] });
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [first, second].join(path.delimiter) } });
    expect(loaded.contextName).toBe('shared');
    expect(loaded.server).toBe('https://first:6443');
    expect(loadKubeconfig({ env: { KUBECONFIG: [first, second].join(path.delimiter) }, context: 'only-second' }).contextName).toBe('only-second');
  });
});

describe('safeServerUrl', () => {
  it('drops user:password and the trailing slash', () => {
    expect(safeServerUrl('https://u:p@h:6443/')).toBe('https://h:6443');
    expect(safeServerUrl('https://h/k8s/clusters/c-1')).toBe('https://h/k8s/clusters/c-1');
  });
});
