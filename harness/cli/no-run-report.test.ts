// Always a report: when the cluster cannot be reached, created or set up, run,
// conformance, matrix and grade still write JUnit (an errored testcase per
// suite, its message the cause) and results.json (cause, phase, exit code), and
// exit 3. Through the real CLI process, with a fake docker and a fake kind on
// PATH so no cluster and no Docker daemon are needed.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { pathWithout } from '../testing/fake-path.ts';
import { parseResults } from '../report/json.ts';
import { repoPath } from '../paths.ts';

let dir: string;
let kubeconfig: string;
const suite = repoPath('suites', 'nodes.yaml');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-norun-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: s3cr3t-t0ken-value}}]',
      'contexts: [{name: c, context: {cluster: c, user: u}}]',
    ].join('\n'),
  );
});

interface Case {
  name: string;
  classname: string;
  error?: { message: string };
}

async function junitCases(file: string): Promise<Case[]> {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(await readFile(file, 'utf8')) as {
    testsuites: { testsuite: { name: string; testcase: Case[] }[] };
  };
  return xml.testsuites.testsuite.flatMap((s) => s.testcase);
}

async function results(file: string) {
  return parseResults(await readFile(file, 'utf8'), file);
}

/**
 * A machine where docker answers (every image present unless `images: false`)
 * and kind fails to create clusters the way kind does, with its own message.
 */
function fakeMachine(o: { images?: boolean } = {}): Record<string, string> {
  const fake = pathWithout(['docker', 'kind']);
  fake.script(
    'docker',
    [
      'case "$1" in',
      '  info) echo 27.0.0; exit 0 ;;',
      `  image) ${o.images === false ? 'echo "Error: No such image: $5" >&2; exit 1' : 'echo sha256:0; exit 0'} ;;`,
      '  *) echo "fake docker: $*" >&2; exit 1 ;;',
      'esac',
    ].join('\n'),
  );
  const kind = fake.script(
    'kind',
    [
      'case "$1" in',
      '  get) echo "No kind clusters found." >&2; exit 0 ;;',
      '  create) echo "Creating cluster \\"$4\\" ..."; echo "ERROR: failed to create cluster: could not find a log line that matches \\"Reached target .*Multi-User System.*\\"" >&2; exit 1 ;;',
      '  delete) exit 0 ;;',
      '  *) exit 1 ;;',
      'esac',
    ].join('\n'),
  );
  return { PATH: fake.dir, KCONFORM_KIND: kind, KCONFORM_CACHE: path.join(dir, `cache-${Math.random().toString(36).slice(2)}`), KUBECONFIG: '' };
}

describe('a run that could not start still leaves its reports, exit 3', () => {
  it('run: unreachable cluster', async () => {
    const reports = path.join(dir, 'run-unreachable');
    const r = await runCli(['run', suite, repoPath('suites', 'network.yaml'), '--kubeconfig', kubeconfig, '--reports', reports]);
    expect(r.code).toBe(3);
    expect(withoutTarget(r.stderr)).toMatch(/^kconform: cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
    expect(r.stdout).toContain(`no check ran (connecting to the cluster failed); reports: ${path.join(reports, 'junit.xml')}`);
    const cases = await junitCases(path.join(reports, 'junit.xml'));
    expect(cases.map((c) => [c.classname, c.name])).toEqual([['kconform.nodes', 'cluster'], ['kconform.network', 'cluster']]);
    for (const c of cases) expect(c.error?.message).toMatch(/^connecting to the cluster: cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
    const res = await results(path.join(reports, 'results.json'));
    expect(res.harnessError).toMatchObject({ phase: 'connecting to the cluster', exitCode: 3 });
    expect(res.harnessError?.cause).toMatch(/^cannot reach the API server/);
    expect(res.summary).toMatchObject({ total: 2, errored: 2, passed: 0 });
    expect(existsSync(path.join(reports, 'index.html'))).toBe(true);
    for (const f of ['junit.xml', 'results.json', 'index.html']) expect(await readFile(path.join(reports, f), 'utf8')).not.toContain('s3cr3t');
  }, 60_000);

  it('conformance: kind cannot create the cluster', async () => {
    const reports = path.join(dir, 'conf-create');
    const r = await runCli(['conformance', suite, '--reports', reports, '--name', 'kc-i16-never'], fakeMachine());
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\nkind create kc-i16-never failed:[\s\S]*ERROR: failed to create cluster: could not find a log line/);
    const cases = await junitCases(path.join(reports, 'junit.xml'));
    expect(cases).toHaveLength(1);
    expect(cases[0]?.error?.message).toMatch(/^creating cluster: kind create kc-i16-never failed: .*ERROR: failed to create cluster/);
    const res = await results(path.join(reports, 'results.json'));
    expect(res.harnessError).toMatchObject({ phase: 'creating cluster', exitCode: 3 });
    expect(res.cluster).toMatchObject({ name: 'kc-i16-never', provider: 'kind', cni: 'flannel', cri: 'containerd' });
  }, 60_000);

  it('conformance: images that nothing here can provide are named, before any cluster work', async () => {
    const reports = path.join(dir, 'conf-images');
    const r = await runCli(['conformance', suite, '--reports', reports, '--name', 'kc-i16-never', '--cni', 'calico', '--images', 'build'], fakeMachine({ images: false }));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\nmissing images: not in Docker, and they cannot be built on a machine without a registry:\n(\s+\S+\n)*\s+docker.io\/calico\/node:v3/);
    const res = await results(path.join(reports, 'results.json'));
    expect(res.harnessError).toMatchObject({ phase: 'checking images', exitCode: 3 });
    expect(res.harnessError?.cause).toContain('calico/node');
    expect((await junitCases(path.join(reports, 'junit.xml')))[0]?.error?.message).toMatch(/^checking images: missing images/);
  }, 60_000);

  it('conformance: no kind can be started at all: named with its install step, reported', async () => {
    const reports = path.join(dir, 'conf-nokind');
    const env = fakeMachine();
    const notKind = path.join(dir, 'not-kind');
    await writeFile(notKind, 'not a program', { mode: 0o644 });
    const r = await runCli(['conformance', suite, '--reports', reports, '--name', 'kc-i16-never'], { ...env, KCONFORM_KIND: notKind });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^images: build \(auto\): the offline-built images are all in Docker already$/m);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^kconform: KCONFORM_KIND=\S+not-kind is not an executable file; unset it, or npx kconform images build --only kind/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect((await results(path.join(reports, 'results.json'))).harnessError?.cause).toMatch(/not an executable file/);
  }, 60_000);

  it('matrix: the cell whose cluster cannot be created has its own JUnit and results.json; exit 3', async () => {
    const reports = path.join(dir, 'matrix');
    const r = await runCli(['matrix', suite, '--cni', 'flannel', '--cri', 'containerd', '--reports', reports, '--name', 'kc-i16-never'], fakeMachine());
    expect(r.code).toBe(3);
    const cell = path.join(reports, 'matrix', 'flannel-containerd');
    const res = await results(path.join(cell, 'results.json'));
    expect(res.harnessError).toMatchObject({ phase: 'creating cluster', exitCode: 3 });
    expect((await junitCases(path.join(cell, 'junit.xml')))[0]?.error?.message).toMatch(/^creating cluster: kind create kc-i16-never failed/);
    const table = JSON.parse(await readFile(path.join(reports, 'matrix', 'matrix.json'), 'utf8')) as { status: string; checks: unknown[] };
    expect(table.status).toBe('error');
    expect(table.checks).toEqual([]);
  }, 60_000);

  it('grade: an unreachable student cluster scores 0, is reported, and the exit code is 3', async () => {
    const students = path.join(dir, 'students');
    const reports = path.join(dir, 'grades');
    await import('node:fs/promises').then((fs) => fs.mkdir(students, { recursive: true }));
    await writeFile(path.join(students, 'dave.yaml'), await readFile(kubeconfig, 'utf8'));
    const r = await runCli(['grade', '--kubeconfigs', students, '--suite', repoPath('suites', 'assignments', 'lab1'), '--reports', reports]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/1 cluster\(s\) could not be reached \(dave\): exit 3/);
    const res = await results(path.join(reports, 'dave', 'results.json'));
    expect(res.harnessError).toMatchObject({ phase: 'connecting to the cluster', exitCode: 3 });
    expect(res.harnessError?.cause).toMatch(/^cluster unreachable: cannot reach the API server/);
  }, 60_000);
});

/** stderr without the line that names the cluster about to be tested (said before any request). */
function withoutTarget(stderr: string): string {
  return stderr.trim().split('\n').filter((l) => !l.startsWith('kconform: testing ')).join('\n');
}
