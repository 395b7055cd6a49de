// The CLI as a user meets it: exit codes and one-line errors, through a real process.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

let dir: string;

const kconform = (...args: string[]) => runCli(args, { KUBECONFIG: '' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-cli-'));
  await writeFile(path.join(dir, 'bad.yaml'), 'name: net\nchecks:\n  - kind: nodes\n    timout: 30s\n');
  await writeFile(path.join(dir, 'good.yaml'), 'name: net\nchecks:\n  - kind: nodes\n');
  // A kubeconfig whose server refuses connections (port 1 on loopback) and carries a token that must never be printed.
  await writeFile(
    path.join(dir, 'kubeconfig'),
    [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: s3cr3t-t0ken-value}}]',
      'contexts: [{name: c, context: {cluster: c, user: u}}]',
    ].join('\n'),
  );
});

describe('kconform CLI', () => {
  it('validates the shipped suites with exit 0', async () => {
    const r = await kconform('validate', 'suites');
    expect(r.stdout).toMatch(/^\d+ suite\(s\), \d+ check\(s\): valid$/m);
    expect(r.code).toBe(0);
  }, 60_000);

  it('rejects a bad suite with file:line:col, did-you-mean and exit 2', async () => {
    const r = await kconform('validate', path.join(dir, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:4:5 checks[0].timout: unknown key 'timout'; did you mean 'timeout'?");
  }, 60_000);

  it('exits 2 on an unknown option, with usage help', async () => {
    const r = await kconform('run', '--parralel', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--parralel'/);
  }, 60_000);

  it('exits 2 on a bad option value', async () => {
    const r = await kconform('run', path.join(dir, 'good.yaml'), '--parallel', 'lots');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("kconform: --parallel: expected auto or a whole number of at least 1, got 'lots'");
    const w = await kconform('grade', '--kubeconfigs', dir, '--max-wait', 'soon');
    expect(w.code).toBe(2);
    expect(w.stderr.trim()).toBe("kconform: --max-wait: expected a duration like 5s, got 'soon'");
  }, 60_000);

  it('conformance honours the suites\' cluster: blocks: two suites wanting different node counts stop before any cluster work', async () => {
    const both = await mkdtemp(path.join(os.tmpdir(), 'kconform-cli-shape-'));
    await writeFile(path.join(both, 'a.yaml'), 'name: a\ncluster: { nodes: 2 }\nchecks:\n  - kind: nodes\n');
    await writeFile(path.join(both, 'b.yaml'), 'name: b\ncluster: { nodes: 3 }\nchecks:\n  - kind: nodes\n');
    const r = await kconform('conformance', both);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the suites ask for different clusters:\n\s+nodes: \S*a\.yaml wants 2, \S*b\.yaml wants 3/);
  }, 60_000);

  it('says in one line that the cluster cannot be reached, exit 3, no stack trace, no token', async () => {
    const r = await kconform('run', path.join(dir, 'good.yaml'), '--kubeconfig', path.join(dir, 'kubeconfig'), '--reports', path.join(dir, 'reports'));
    expect(r.code).toBe(3);
    // The target line comes first (said once, before any request), then the one error line.
    expect(r.stderr).toMatch(/^kconform: testing context c \(https:\/\/127\.0\.0\.1:1\)\n/);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('kconform: testing '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kconform: cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
    expect(r.stderr + r.stdout).not.toContain('s3cr3t');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('prints JSON Schema with exit 0', async () => {
    const r = await kconform('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: expect.any(String), type: 'object' });
  }, 60_000);

  it('--version and --help exit 0', async () => {
    expect((await kconform('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await kconform('--help')).code).toBe(0);
  }, 60_000);
});
