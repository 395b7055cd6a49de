// A second, empty Docker daemon for the tests that must show "nothing was in
// Docker beforehand": its own data root, exec root, socket and pid file, so the
// main daemon's images, containers and networks are neither seen nor touched.
// It never edits the main daemon's iptables rules or networks: --iptables=false,
// a default bridge of its own (never --bridge=none: that deletes the host's docker0), an address pool of its own; when it is to run kind
// nodes, its one bridge (a "kind" network made here with a fixed bridge name) is
// let through the host's FORWARD chain by two DOCKER-USER rules, which stop()
// removes. Root only (dockerd, iptables).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';

export interface SecondDocker {
  /** unix:///…/docker.sock: pass as DOCKER_HOST. */
  host: string;
  /** process.env with DOCKER_HOST set to this daemon. */
  env: NodeJS.ProcessEnv;
  dir: string;
  docker(args: string[]): Promise<{ code: number; out: string }>;
  stop(): Promise<void>;
}

export interface SecondDockerOptions {
  /** Short folder (unix socket paths are limited to 107 bytes); removed by stop(). */
  dir: string;
  /** Address pool of its networks, e.g. 10.213.0.0/16 (must not overlap the host's routes). */
  pool: string;
  /** Make a "kind" network on bridge `bridge` (subnet `subnet`, outside `pool`: inside it Docker may refuse it as overlapping) and let it through FORWARD. */
  kindNetwork?: { bridge: string; subnet: string };
  log?: (l: string) => void;
}

/** The main daemon's runtimes (the runc wrapper some hosts need for privileged containers), reused as they are. */
function mainRuntimes(): Record<string, unknown> {
  const f = '/etc/docker/daemon.json';
  if (!existsSync(f)) return {};
  const cfg = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
  return { ...(cfg.runtimes ? { runtimes: cfg.runtimes } : {}), ...(cfg['default-runtime'] ? { 'default-runtime': cfg['default-runtime'] } : {}) };
}

async function iptables(args: string[]): Promise<void> {
  const r = await execa('iptables', args, { reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`iptables ${args.join(' ')}: ${String(r.all)}`);
}

export async function startSecondDocker(o: SecondDockerOptions): Promise<SecondDocker> {
  const log = o.log ?? (() => {});
  await rm(o.dir, { recursive: true, force: true });
  await mkdir(path.join(o.dir, 'exec'), { recursive: true });
  const sock = path.join(o.dir, 'docker.sock');
  const config = path.join(o.dir, 'daemon.json');
  await writeFile(config, JSON.stringify(mainRuntimes(), null, 2));
  const defaultBridge = `kc2d${process.pid % 100000}`;
  await execa('ip', ['link', 'add', defaultBridge, 'type', 'bridge'], { reject: false });
  const args = [
    '--config-file', config,
    '--data-root', path.join(o.dir, 'data'),
    '--exec-root', path.join(o.dir, 'exec'),
    '--pidfile', path.join(o.dir, 'docker.pid'),
    '-H', `unix://${sock}`,
    // Not --bridge=none: a dockerd started with it deletes the host's docker0,
    // the main daemon's default bridge (seen here at 15:05 and 15:12: the main
    // daemon's `docker run` then failed "could not find bridge docker0"). A
    // bridge of its own, made here and deleted by stop(), leaves docker0 alone.
    `--bridge=${defaultBridge}`, '--iptables=false', '--ip-masq=false',
    '--default-address-pool', `base=${o.pool},size=24`,
    '--storage-driver', 'overlay2',
  ];
  const proc: ResultPromise = execa('dockerd', args, { reject: false, all: true, buffer: false, stdout: 'ignore', stderr: ['pipe'] });
  let logTail = '';
  proc.stderr?.on('data', (b: Buffer) => (logTail = (logTail + b.toString()).slice(-4000)));
  let exited = false;
  void proc.finally(() => (exited = true));
  const host = `unix://${sock}`;
  const env = { ...process.env, DOCKER_HOST: host };
  const docker = async (a: string[]) => {
    const r = await execa('docker', a, { reject: false, all: true, env });
    return { code: r.exitCode ?? -1, out: String(r.all ?? '') };
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited && (await docker(['info', '--format', '{{.ServerVersion}}'])).code !== 0) await new Promise((r) => setTimeout(r, 500));
  if (exited || (await docker(['info'])).code !== 0) {
    proc.kill();
    await proc;
    throw new Error(`the second dockerd did not start: ${logTail.split('\n').slice(-8).join(' | ')}`);
  }
  log(`second dockerd up (${host}, data ${path.join(o.dir, 'data')})`);
  const rules: string[][] = [];
  const stop = async () => {
    for (const r of rules.reverse()) await iptables(['-D', ...r]).catch((e: unknown) => log(String(e)));
    // Whatever runs in it is ours: kind nodes first, so dockerd stops at once.
    const ids = (await docker(['ps', '-aq'])).out.split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await proc;
    clearTimeout(t);
    // dockerd leaves its bridges up when it stops: ours goes with it.
    if (o.kindNetwork) await execa('ip', ['link', 'delete', o.kindNetwork.bridge], { reject: false });
    await execa('ip', ['link', 'delete', defaultBridge], { reject: false });
    // Mounts a killed daemon may leave under its folders, then the folders.
    await execa('sh', ['-c', `grep -o " ${o.dir}[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l`], { reject: false });
    await rm(o.dir, { recursive: true, force: true });
    log(`second dockerd stopped, ${o.dir} removed`);
  };
  try {
    if (o.kindNetwork) {
      const { bridge, subnet } = o.kindNetwork;
      const r = await docker(['network', 'create', '-d', 'bridge', '--subnet', subnet, '-o', `com.docker.network.bridge.name=${bridge}`, '-o', 'com.docker.network.driver.mtu=1500', 'kind']);
      if (r.code !== 0) throw new Error(`docker network create kind (second daemon): ${r.out}`);
      for (const rule of [['DOCKER-USER', '-i', bridge, '-j', 'ACCEPT'], ['DOCKER-USER', '-o', bridge, '-j', 'ACCEPT']]) {
        await iptables(['-I', ...rule]);
        rules.push(rule);
      }
      log(`kind network ${subnet} on bridge ${bridge}; DOCKER-USER accepts it`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, env, dir: o.dir, docker, stop };
}
