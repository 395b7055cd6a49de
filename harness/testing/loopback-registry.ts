// A real OCI registry on loopback for the tests, standing in for the internet:
// distribution's `registry` and go-containerregistry's `crane`, both built from
// their Go modules by the project's own builder (build.sh --only registry,crane).
// The tests load it with images built here under their upstream names; it is
// never a copy of an upstream registry.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { cacheDir } from '../cluster/cache.ts';
import { runImageScript } from '../images/scripts.ts';

/** Newest complete build of a cached tool (out/<name>/<key>/.ok). */
function built(name: string): string | undefined {
  const root = cacheDir('out', name);
  if (!existsSync(root)) return undefined;
  const done = readdirSync(root)
    .map((k) => path.join(root, k))
    .filter((d) => existsSync(path.join(d, '.ok')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return done[0] ? path.join(done[0], name) : undefined;
}

/** Builds (or finds, cached) the registry and crane; minutes cold, instant warm. */
export async function registryTools(log: (l: string) => void = () => {}): Promise<{ registry: string; crane: string }> {
  let registry = built('registry');
  let crane = built('crane');
  if (!registry || !crane) {
    await runImageScript('build.sh', ['--only', 'registry,crane'], { onLine: log });
    registry = built('registry');
    crane = built('crane');
  }
  if (!registry || !crane) throw new Error('build.sh --only registry,crane finished but the binaries are missing');
  return { registry, crane };
}

export async function freePort(host: string): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, host, r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface LoopbackRegistry {
  /** http://HOST:PORT */
  endpoint: string;
  /** HOST:PORT, as image references name it. */
  host: string;
  /** The registry program built here, and its storage folder (for a second server of the same store). */
  program: string;
  dataDir: string;
  /** Saves a Docker image and pushes it under `path:tag` (the mirror layout: no upstream host). */
  pushFromDocker(image: string, repoPathAndTag: string): Promise<void>;
  /** Copies `path:tag` to another `path:tag` inside the registry (blobs are shared, not re-sent). */
  copy(from: string, to: string): Promise<void>;
  stop(): Promise<void>;
}

/** listen: 127.0.0.1 (default), an address such as the kind network's gateway, or 0.0.0.0 (every address; named 127.0.0.1 here, as a user would type it). */
export async function startLoopbackRegistry(o: { listen?: string; log?: (l: string) => void } = {}): Promise<LoopbackRegistry> {
  const tools = await registryTools(o.log);
  const listen = o.listen ?? '127.0.0.1';
  const port = await freePort(listen);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-registry-'));
  const config = path.join(dir, 'config.yml');
  await writeFile(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${listen}:${port}`, ''].join('\n'),
  );
  const proc: ResultPromise = execa(tools.registry, ['serve', config], { reject: false, all: true, env: { OTEL_TRACES_EXPORTER: 'none' } });
  let exited = false;
  void proc.finally(() => (exited = true));
  const host = `${listen === '0.0.0.0' ? '127.0.0.1' : listen}:${port}`;
  const endpoint = `http://${host}`;
  const deadline = Date.now() + 20_000;
  let up = false;
  while (Date.now() < deadline && !exited) {
    up = await fetch(`${endpoint}/v2/`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!up) {
    proc.kill();
    const r = await proc;
    throw new Error(`the loopback registry did not answer on ${endpoint} within 20s: ${String(r.all ?? '').trim().split('\n').slice(-5).join(' | ')}`);
  }
  return {
    endpoint,
    host,
    program: tools.registry,
    dataDir: path.join(dir, 'data'),
    async pushFromDocker(image, repoPathAndTag) {
      const tar = path.join(dir, `${repoPathAndTag.replace(/[^a-z0-9.-]+/gi, '_')}.tar`);
      const save = await execa('docker', ['save', '-o', tar, image], { reject: false, all: true });
      if (save.exitCode !== 0) throw new Error(`docker save ${image}: ${String(save.all ?? '').trim()}`);
      const push = await execa(tools.crane, ['push', '--insecure', tar, `${host}/${repoPathAndTag}`], { reject: false, all: true });
      await rm(tar, { force: true });
      if (push.exitCode !== 0) throw new Error(`crane push ${repoPathAndTag}: ${String(push.all ?? '').trim()}`);
    },
    async copy(from, to) {
      const r = await execa(tools.crane, ['copy', '--insecure', `${host}/${from}`, `${host}/${to}`], { reject: false, all: true });
      if (r.exitCode !== 0) throw new Error(`crane copy ${from} ${to}: ${String(r.all ?? '').trim()}`);
    },
    async stop() {
      proc.kill();
      await proc;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
