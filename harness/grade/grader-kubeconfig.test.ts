import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../kube/config.ts';
import { makeApiServerPki } from '../testing/api-pki.ts';
import { handInSteps, identityYaml, readToken, renderGraderKubeconfig } from './grader-kubeconfig.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a2NvbmZvcm06Z3JhZGVyIn0.c2ln';

describe("the student's side of grading", () => {
  it('rbac starts with the Namespace and ServiceAccount of the grader', () => {
    const docs = parseAllDocuments(identityYaml({ kind: 'ServiceAccount', namespace: 'kconform', name: 'grader' })).map((d) => d.toJS());
    expect(docs.filter(Boolean)).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kconform' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'grader', namespace: 'kconform' } },
    ]);
    expect(identityYaml({ kind: 'User', name: 'ta' })).toBe('');
    expect(handInSteps({ kind: 'ServiceAccount', namespace: 'kconform', name: 'grader' }, 'suites/assignments/lab1')).toContain('npx kconform rbac kubeconfig --service-account kconform/grader --duration 24h');
  });

  it('the hand-in kubeconfig loads as a kubeconfig: server, inline CA, the token, one context', async () => {
    // A real CA: kubeconfigs are checked field by field, and 'CA' is no PEM certificate.
    const caData = Buffer.from((await makeApiServerPki()).caCert).toString('base64');
    const text = renderGraderKubeconfig({ name: 'kubernetes', server: 'https://203.0.113.7:6443', caData }, 'kconform-grader', { token: TOKEN, expires: '2026-12-03T11:00:00Z' });
    expect(text.split('\n')[0]).toBe('# kconform grader kubeconfig: kconform-grader on https://203.0.113.7:6443; the token expires 2026-12-03T11:00:00Z');
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'kconform-gk-')), 'grader.kubeconfig');
    await writeFile(file, text);
    const k = loadKubeconfig({ kubeconfig: file });
    expect(k.contextName).toBe('kconform-grader');
    expect(k.server).toBe('https://203.0.113.7:6443');
    expect(k.kc.getCurrentUser()?.token).toBe(TOKEN);
    expect(k.kc.getCurrentCluster()?.caData).toBe(caData);
  });

  it('--from-token reads one token from stdin or a file and refuses anything else', async () => {
    expect(await readToken('-', Readable.from([`${TOKEN}\n`]))).toBe(TOKEN);
    await expect(readToken('-', Readable.from(['apiVersion: v1\nkind: Config\n']))).rejects.toThrow(/expected one bearer token/);
    await expect(readToken('-', Readable.from(['x'.repeat(70_000)]))).rejects.toThrow(/more than 64 KiB/);
  });
});
