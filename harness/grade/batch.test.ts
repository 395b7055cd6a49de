// The batch without a cluster: kubeconfigs discovered by file name, and clusters
// that cannot be reached (a refused port, a file that is not a kubeconfig)
// graded 0 with the reason while the sheet and every student's reports are
// still written.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSuites } from '../suite/load.ts';
import { repoPath } from '../paths.ts';
import { discoverKubeconfigs, gradeBatch, GradeInputError, studentId } from './batch.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-batch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}

const kubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: not-a-real-token-abcdef0123456789 } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

describe('batch grading', () => {
  it('one student per file; the id is the name without its extension', async () => {
    await mkdir(path.join(dir, 'k'));
    for (const f of ['alice.yaml', 'bob.kubeconfig', 'carol', '.hidden.yaml', 'dave.yaml', 'dave.conf']) await writeFile(path.join(dir, 'k', f), 'x');
    await mkdir(path.join(dir, 'k', 'folder'));
    expect((await discoverKubeconfigs(path.join(dir, 'k'))).map((s) => s.student)).toEqual(['alice', 'bob', 'carol', 'dave.conf', 'dave.yaml']);
    expect(studentId('Jane Doe (2).yml')).toBe('Jane_Doe_2_');
  });

  it('unreachable clusters get 0 with the reason; the batch goes on and writes everything', async () => {
    const k = path.join(dir, 'k');
    await mkdir(k);
    const port = await closedPort();
    await writeFile(path.join(k, 'dave.yaml'), kubeconfig(`https://127.0.0.1:${port}`));
    await writeFile(path.join(k, 'erin.yaml'), 'clusters: [\n');
    const reports = path.join(dir, 'grades');
    const t0 = Date.now();
    const { sheet, files } = await gradeBatch({
      suites: await loadSuites([repoPath('suites/assignments/lab1')]),
      kubeconfigs: await discoverKubeconfigs(k),
      reportsDir: reports,
      parallel: 2,
      clusterTimeoutMs: 60_000,
      connectTimeoutMs: 10_000,
      readOnly: true,
      evidence: 'failure',
      fixturesDir: repoPath('fixtures'),
      images: { agnhost: 'agnhost:x' },
      signal: new AbortController().signal,
    });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(sheet.students.map((s) => [s.student, s.outcome, s.points, s.max])).toEqual([['dave', 'unreachable', 0, 30], ['erin', 'unreachable', 0, 30]]);
    expect(sheet.students[0]?.reason).toBe(`cluster unreachable: cannot reach the API server at https://127.0.0.1:${port}: connection refused`);
    expect(sheet.students[1]?.reason).toMatch(/^cluster unreachable: kubeconfig .*erin\.yaml is not valid/);
    expect(files.map((f) => path.basename(f))).toEqual(['scores.csv', 'scores.md', 'scores.json']);
    const junit = await readFile(path.join(reports, 'dave', 'junit.xml'), 'utf8');
    expect(junit).toContain(`cluster unreachable: cannot reach the API server at https://127.0.0.1:${port}`);
    // One testcase per check (the reporter adds one for the suite-level error).
    for (const name of ["cluster-nodes", "files-pod", "web-spread", "node-sysctls"]) expect(junit).toMatch(new RegExp(`<testcase[^>]*name="${name}"`));
    const all = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n') + junit;
    expect(all).not.toContain('not-a-real-token');
  });

  it('read-only grading refuses a suite whose fixtures reach outside the run namespace', async () => {
    const suiteFile = path.join(dir, 'bad.yaml');
    await writeFile(suiteFile, `name: bad
fixtures:
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: x, namespace: kube-system }
checks:
  - kind: assert
    resource: { apiVersion: v1, kind: ConfigMap, name: x }
`);
    await expect(gradeBatch({
      suites: await loadSuites([suiteFile]), kubeconfigs: [], reportsDir: path.join(dir, 'g'), parallel: 1, clusterTimeoutMs: 1000, readOnly: true,
      evidence: 'failure', fixturesDir: repoPath('fixtures'), images: { agnhost: 'a' }, signal: new AbortController().signal,
    })).rejects.toThrow(GradeInputError);
  });
});
