// Runs kconform on hostile inputs (issue 17) and prints, per case, the command, the
// exit code, the first line of the message (cut at 160 characters; the longest line's
// length too), the wall time and the peak RSS. No cluster: kubeconfig cases talk to
// small fake servers this script starts on 127.0.0.1.
//
//   npx node bench/hostile-inputs.ts [--repo DIR] [--only NAME,...] [--timeout 70]
//
// --repo runs another checkout's CLI (e.g. a worktree of the commit before the fix),
// so before and after are measured by the same script. Peak RSS needs /usr/bin/time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    repo: { type: 'string', default: path.resolve(import.meta.dirname, '..') },
    only: { type: 'string', default: '' },
    timeout: { type: 'string', default: '70' },
  },
});
const REPO = path.resolve(values.repo);
const TIMEOUT_S = Number(values.timeout);
const only = new Set(values.only.split(',').filter(Boolean));

const SUITE_HEAD = 'name: hostile\nchecks:\n  - kind: nodes\n    count: 1\n';

interface Case {
  name: string;
  args: string[];
  /** A shell pipeline instead (`|` for EPIPE cases); {cli} is replaced by the CLI command. */
  shell?: string;
  files?: Record<string, string | Buffer>;
  links?: Record<string, string>;
}

function aliases(n: number): string {
  return `- &a x\n${'- *a\n'.repeat(n)}`;
}

function kubeconfig(server: string, user: Record<string, string> = { token: 'SECRET-KUBE-TOKEN-1' }): string {
  const u = Object.entries(user).map(([k, v]) => `    ${k}: ${v}`).join('\n');
  return `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context: { cluster: k, user: u }\nusers:\n- name: u\n  user:\n${u}\n`;
}

async function servers(): Promise<{ silent: number; html: number; notFound: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => sockets.add(s));
  const html = http.createServer((_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>'));
  const notFound = http.createServer((_q, r) => r.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found'));
  const listen = (s: net.Server) => new Promise<number>((ok) => s.listen(0, '127.0.0.1', () => ok((s.address() as net.AddressInfo).port)));
  const ports = { silent: await listen(silent), html: await listen(html), notFound: await listen(notFound) };
  return {
    ...ports,
    close() {
      for (const s of sockets) s.destroy();
      for (const s of [silent, html, notFound]) s.close();
      html.closeAllConnections();
      notFound.closeAllConnections();
    },
  };
}

function cases(ports: { silent: number; html: number; notFound: number }): Case[] {
  const nested = (n: number) => `${SUITE_HEAD}vars:\n  x: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const keys = (n: number) => `${SUITE_HEAD}extra:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${i}`).join('\n')}\n`;
  const big = (bytes: number) => `${SUITE_HEAD}description: |\n${'  the quick brown fox jumps over the lazy dog again\n'.repeat(Math.ceil(bytes / 51))}`;
  const run = (kc: string) => ['run', 'suite.yaml', '--kubeconfig', kc, '--reports', 'r', '--no-html'];
  return [
    { name: 'alias-2500', args: ['validate', 'a.yaml'], files: { 'a.yaml': aliases(2500) } },
    { name: 'alias-10000', args: ['validate', 'a.yaml'], files: { 'a.yaml': aliases(10_000) } },
    { name: 'alias-40000', args: ['validate', 'a.yaml'], files: { 'a.yaml': aliases(40_000) } },
    { name: 'fixture-named-api-token', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}fixtures:\n  - file: fx/api-token\n`, 'fx/api-token': 'a: [1,\n' } },
    { name: 'suite-key-token', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}token: abc\n` } },
    { name: 'fixture-etc-passwd', args: ['validate', 'd/s.yaml'], files: { 'd/s.yaml': `${SUITE_HEAD}fixtures:\n  - file: ../../../../../../../etc/passwd\n` } },
    { name: 'fixture-symlink-out', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}fixtures:\n  - file: link.yaml\n` }, links: { 'link.yaml': '/etc/passwd' } },
    { name: 'fixture-holds-token', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}fixtures:\n  - file: tok.yaml\n`, 'tok.yaml': 'SECRET-TOKEN-abc123\n' } },
    { name: 'timeout-0s', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}timeout: 0s\n` } },
    { name: 'timeout-0ms', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}timeout: 0ms\n` } },
    { name: 'timeout-600h', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}timeout: 600h\n` } },
    { name: 'timeout-99999h', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}timeout: 99999h\n` } },
    { name: 'symlinked-suite', args: ['validate', 'dir'], files: { 'real/s.yaml': SUITE_HEAD, 'dir/a.yaml': SUITE_HEAD.replace('hostile', 'other') }, links: { 'dir/b.yaml': '../real/s.yaml' } },
    { name: 'symlink-loop', args: ['validate', 'loop.yaml'], links: { 'loop.yaml': 'loop.yaml' } },
    { name: 'map-20000-keys', args: ['validate', 's.yaml'], files: { 's.yaml': keys(20_000) } },
    { name: 'latin1', args: ['validate', 's.yaml'], files: { 's.yaml': Buffer.from(`${SUITE_HEAD}description: caf\xe9\n`, 'latin1') } },
    { name: 'utf16', args: ['validate', 's.yaml'], files: { 's.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${SUITE_HEAD}`, 'utf16le')]) } },
    { name: 'nul-byte', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}description: a\0b\n` } },
    { name: 'nesting-10000', args: ['validate', 's.yaml'], files: { 's.yaml': nested(10_000) } },
    { name: 'bom-line1-col', args: ['validate', 's.yaml'], files: { 's.yaml': `\ufeffnmae: x\nchecks: []\n` } },
    { name: 'suite-1MB', args: ['validate', 's.yaml'], files: { 's.yaml': big(1 << 20) } },
    { name: 'suite-10MB', args: ['validate', 's.yaml'], files: { 's.yaml': big(10 << 20) } },
    { name: 'suite-10MB-multiline', args: ['validate', 's.yaml'], files: { 's.yaml': `${SUITE_HEAD}description: "${'  the quick brown fox jumps over the lazy dog again\n'.repeat(Math.ceil((10 << 20) / 51))}"\n` } },
    { name: 'filter-bad-regex', args: ['run', 'suite.yaml', '--filter', '/[/', '--kubeconfig', 'kc', '--no-html'], files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`http://127.0.0.1:${ports.html}`) } },
    { name: 'max-wait-bad', args: ['run', 'suite.yaml', '--max-wait', '99999999h', '--kubeconfig', 'kc'], files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`http://127.0.0.1:${ports.html}`) } },
    { name: 'images-status-epipe', args: [], shell: '{cli} images status | head -2 >/dev/null; exit ${PIPESTATUS[0]}' },
    { name: 'schema-epipe', args: [], shell: '{cli} schema | head -1 >/dev/null; exit ${PIPESTATUS[0]}' },
    { name: 'kube-silent-server', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`https://127.0.0.1:${ports.silent}`) } },
    { name: 'kube-silent-server-http', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`http://127.0.0.1:${ports.silent}`) } },
    { name: 'kube-garbage-url', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig('"::not a url::"') } },
    { name: 'kube-html-answer', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`http://127.0.0.1:${ports.html}`) } },
    { name: 'kube-404-version', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`http://127.0.0.1:${ports.notFound}`) } },
    { name: 'kube-userinfo-url', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`https://admin:SECRET-PW-42@127.0.0.1:${ports.html}`) } },
    { name: 'kube-tls-to-plain', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`https://127.0.0.1:${ports.html}`) } },
    { name: 'kube-bad-client-key', args: run('kc'), files: { 'suite.yaml': SUITE_HEAD, kc: kubeconfig(`https://127.0.0.1:${ports.html}`, { 'client-key-data': Buffer.from('SECRET-KEY-BYTES').toString('base64') }) } },
  ];
}

async function runCase(c: Case, dir: string): Promise<{ code: number | string; first: string; longest: number; seconds: number; rssMb: number | undefined }> {
  for (const [rel, content] of Object.entries(c.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  for (const [rel, target] of Object.entries(c.links ?? {})) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await symlink(target, path.join(dir, rel));
  }
  const bin = path.join(REPO, 'harness', 'cli', 'bin.js');
  const timeBin = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '__rss_kb %M'] : [];
  const cli = [...timeBin, process.execPath, bin].map((a) => `'${a}'`).join(' ');
  const [cmd, args] = c.shell ? ['bash', ['-c', c.shell.replace('{cli}', cli)]] : [timeBin[0] ?? process.execPath, [...timeBin.slice(1), process.execPath, bin, ...c.args]];
  const t0 = performance.now();
  const child = spawn(cmd as string, args as string[], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  // The whole process group: killing /usr/bin/time alone would leave kconform running.
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), TIMEOUT_S * 1000);
  const code = await new Promise<number | string>((ok) => child.on('close', (code, sig) => ok(sig ? `killed after ${TIMEOUT_S}s` : (code ?? -1))));
  clearTimeout(timer);
  const seconds = (performance.now() - t0) / 1000;
  const rss = /__rss_kb (\d+)/.exec(out);
  const lines = out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('__rss_kb') && !l.startsWith('Command exited'));
  const first = (lines[0] ?? '').replace(/\0/g, '\\0').replace(dir + path.sep, '').replaceAll(dir, '.');
  return { code, first: first.length > 160 ? `${first.slice(0, 159)}…` : first, longest: Math.max(0, ...lines.map((l) => l.length)), seconds, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

const srv = await servers();
const root = await mkdtemp(path.join(tmpdir(), 'kc-hostile-'));
process.stdout.write(`repo ${REPO}; load ${loadavg()[0]!.toFixed(1)}\n\n| case | command | exit | time | peak RSS | message (first line) | longest line |\n|---|---|---|---|---|---|---|\n`);
try {
  for (const c of cases(srv)) {
    if (only.size > 0 && !only.has(c.name)) continue;
    const dir = path.join(root, c.name);
    await mkdir(dir, { recursive: true });
    const r = await runCase(c, dir);
    const command = c.shell ? c.shell.replace('{cli} ', 'kconform ').replace(/; exit.*/, '').replace(' >/dev/null', '') : `kconform ${c.args.join(' ')}`;
    const msg = r.first.replace(/\|/g, '\\|');
    process.stdout.write(`| ${c.name} | \`${command.replace(/\|/g, '\\|')}\` | ${r.code} | ${r.seconds.toFixed(2)} s | ${r.rssMb === undefined ? '-' : `${r.rssMb.toFixed(0)} MB`} | ${msg} | ${r.longest} |\n`);
  }
} finally {
  srv.close();
  await rm(root, { recursive: true, force: true });
}
