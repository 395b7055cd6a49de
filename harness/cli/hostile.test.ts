// Exit codes by class through the real CLI process (issue 17): a bad flag value is
// exit 2, a reader that closes our stdout is not an internal error, and messages
// keep their positions and words (only secret values are hidden).
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../paths.ts';
import { runCli } from '../testing/run-cli.ts';

let dir: string;
let web: http.Server;
const kconform = (...args: string[]) => runCli(args, { KUBECONFIG: '' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-cli-hostile-'));
  web = http.createServer((_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<html><title>router login</title></html>'));
  await new Promise<void>((ok) => web.listen(0, '127.0.0.1', ok));
  const port = (web.address() as AddressInfo).port;
  await writeFile(path.join(dir, 'good.yaml'), 'name: net\nchecks:\n  - kind: nodes\n');
  await writeFile(path.join(dir, 'token-key.yaml'), 'name: net\nchecks:\n  - kind: nodes\ntoken: abc\n');
  await writeFile(
    path.join(dir, 'html.kubeconfig'),
    `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: SECRET-CLI-TOKEN-77}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n`,
  );
});
afterAll(() => {
  web.closeAllConnections();
  web.close();
});

describe('exit codes by class', () => {
  it('a --filter regex that does not compile is exit 2, naming the flag', async () => {
    const r = await kconform('run', path.join(dir, 'good.yaml'), '--filter', '/[/');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("kconform: --filter: expected a substring or a /regular expression/, got '/[/' (/[/: Unterminated character class)");
  }, 60_000);

  it('a duration flag out of range is exit 2', async () => {
    const r = await kconform('run', path.join(dir, 'good.yaml'), '--max-wait', '99999h');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("kconform: --max-wait: expected a duration between 0s and 24h, got '99999h'");
  }, 60_000);

  it('a web page where the API server should be is one line and exit 3, without the token', async () => {
    const r = await kconform('run', path.join(dir, 'good.yaml'), '--kubeconfig', path.join(dir, 'html.kubeconfig'), '--reports', path.join(dir, 'r'));
    expect(r.code).toBe(3);
    expect(withoutTarget(r.stderr)).toMatch(/^kconform: the server at http:\/\/127\.0\.0\.1:\d+ is not a Kubernetes API server: GET \/version answered HTTP 200 text\/html, a page titled "router login"$/);
    expect(r.stdout + r.stderr).not.toContain('SECRET-CLI-TOKEN-77');
  }, 60_000);

  it('a suite key named token keeps its words', async () => {
    const r = await kconform('validate', path.join(dir, 'token-key.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/token-key\.yaml:4:1 token: unknown key 'token'; expected one of/);
  }, 60_000);
});

describe('a closed stdout', () => {
  // `head` closes the pipe after its lines; the command's own exit code is what counts.
  it.each([
    ['schema | head -1', 'schema'],
    ['images status | head -2', 'images status'],
  ])('%s ends quietly with the exit code of the work', async (_name, command) => {
    const bin = repoPath('harness', 'cli', 'bin.js');
    const script = `"${process.execPath}" "${bin}" ${command} | head -2 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`;
    const r = await execa('bash', ['-c', script], { reject: false, cwd: repoPath(), env: { CI: 'true' } });
    const solo = await runCli(command.split(' '));
    expect(String(r.stderr)).not.toContain('internal error');
    expect(String(r.stderr)).not.toContain('EPIPE');
    expect(String(r.stderr)).toContain(`exit=${solo.code}`);
  }, 60_000);
});

/** stderr without the line that names the cluster about to be tested (said before any request). */
function withoutTarget(stderr: string): string {
  return stderr.trim().split('\n').filter((l) => !l.startsWith('kconform: testing ')).join('\n');
}
