// A registry mirror named on this machine's loopback (`--registry-mirror
// http://127.0.0.1:5001`, as a user types it: Docker pulls plain HTTP from
// loopback without any daemon change) is no address for the kind nodes, whose
// 127.0.0.1 is the node itself. kconform finds how the nodes reach the same
// registry, says it in one line, and writes that address into their hosts.toml:
//   1. a container publishes that port (kind's own local-registry pattern):
//      it is connected to the kind network and named there;
//   2. else the registry answers on the kind network's gateway too (it listens
//      on 0.0.0.0 or on that address): the gateway;
//   3. else it fails at once, naming the mirror and the two ways to fix it.
import { runProgram } from '../../programs.ts';
import { probeRegistry, type Probe } from './image-source.ts';
import { isLoopbackEndpoint, type RegistryMirror } from './registry-mirror.ts';

/** kind's network: kind uses an existing one as it is. */
export const KIND_NETWORK = 'kind';

export class MirrorUnreachableError extends Error {
  override readonly name = 'MirrorUnreachableError';
}

export interface Publisher {
  container: string;
  /** Port inside the container. */
  port: number;
}

export interface ReachDeps {
  /** The container publishing this host port on loopback or on every address, if any. */
  publisher(hostPort: number): Promise<Publisher | undefined>;
  /** Connects a container to the kind network (nothing when it is connected already). */
  connect(container: string): Promise<void>;
  /** The kind network's IPv4 gateway, the network made first when missing. */
  gateway(): Promise<string>;
  probe(url: string): Promise<Probe>;
}

export function endpointPort(endpoint: string): number {
  const u = new URL(endpoint);
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

/** Every mirror with the address the nodes use; loopback ones resolved (one line each: "ENDPOINT: the nodes reach it as ...") or refused. */
export async function nodeReachableMirrors(mirrors: RegistryMirror[], onLine: (l: string) => void, deps: ReachDeps = dockerReachDeps()): Promise<RegistryMirror[]> {
  const out: RegistryMirror[] = [];
  for (const m of mirrors) {
    if (!isLoopbackEndpoint(m.endpoint) || m.nodeEndpoint) {
      out.push(m);
      continue;
    }
    const scheme = new URL(m.endpoint).protocol;
    const port = endpointPort(m.endpoint);
    const pub = await deps.publisher(port);
    if (pub) {
      await deps.connect(pub.container);
      const nodeEndpoint = `${scheme}//${pub.container}:${pub.port}`;
      onLine(`${m.endpoint}: the nodes reach it as ${nodeEndpoint} (container ${pub.container} publishes port ${port}; connected to the ${KIND_NETWORK} network)`);
      out.push({ ...m, nodeEndpoint });
      continue;
    }
    const gw = await deps.gateway();
    const viaGateway = `${scheme}//${gw}:${port}`;
    const answer = await deps.probe(`${viaGateway}/v2/`);
    if (answer.ok) {
      onLine(`${m.endpoint}: the nodes reach it as ${viaGateway} (the ${KIND_NETWORK} network's gateway; it listens there too)`);
      out.push({ ...m, nodeEndpoint: viaGateway });
      continue;
    }
    throw new MirrorUnreachableError(
      `registry mirror ${m.endpoint}: the kind nodes cannot reach it (their 127.0.0.1 is the node itself): ` +
        `it does not answer on the ${KIND_NETWORK} network's gateway ${gw}:${port} (${answer.detail}) and no container publishes port ${port}. ` +
        `Make it listen on 0.0.0.0:${port} (or ${gw}:${port}) too, or run it as a container publishing 127.0.0.1:${port}, or give an address the nodes reach.`,
    );
  }
  return out;
}

/** "127.0.0.1:5001->5000/tcp, :::5001->5000/tcp" -> the container port behind host port 5001 on an address loopback reaches. */
export function publishedPort(ports: string, hostPort: number): number | undefined {
  for (const p of ports.split(',').map((s) => s.trim())) {
    const m = /^(?:(\d+\.\d+\.\d+\.\d+|\[?[0-9a-f:]*\]?):)?(\d+)->(\d+)\/tcp$/.exec(p);
    if (!m || Number(m[2]) !== hostPort) continue;
    const addr = m[1] ?? '0.0.0.0';
    if (addr === '0.0.0.0' || addr.startsWith('127.') || addr.replace(/[[\]]/g, '') === '::' || addr.replace(/[[\]]/g, '') === '::1') return Number(m[3]);
  }
  return undefined;
}

/**
 * The IPv4 gateway from `docker network inspect`'s IPAM config. A network made
 * with --subnet but no --gateway records none, and Docker then gives the bridge
 * the subnet's first address: that one.
 */
export function ipv4Gateway(ipamConfigJson: string): string | undefined {
  let configs: { Subnet?: string; Gateway?: string }[];
  try {
    configs = (JSON.parse(ipamConfigJson) as typeof configs | null) ?? [];
  } catch {
    return undefined;
  }
  for (const c of configs) {
    if (c.Gateway && /^\d+\.\d+\.\d+\.\d+$/.test(c.Gateway)) return c.Gateway;
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(c.Subnet ?? '');
    if (!m) continue;
    const ip = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
    const bits = Number(m[5]);
    const first = (bits === 0 ? 0 : Math.floor(ip / 2 ** (32 - bits)) * 2 ** (32 - bits)) + 1;
    return [24, 16, 8, 0].map((sh) => Math.floor(first / 2 ** sh) % 256).join('.');
  }
  return undefined;
}

/** The real answers, through the docker CLI (DOCKER_HOST respected). */
export function dockerReachDeps(): ReachDeps {
  return {
    async publisher(hostPort) {
      const r = await runProgram('docker', ['ps', '--format', '{{.Names}}\t{{.Ports}}']);
      for (const line of r.stdout.split('\n')) {
        const [name, ports] = line.split('\t');
        const port = name && ports ? publishedPort(ports, hostPort) : undefined;
        if (name && port) return { container: name, port };
      }
      return undefined;
    },
    async connect(container) {
      await ensureKindNetwork();
      const r = await runProgram('docker', ['network', 'connect', KIND_NETWORK, container], { all: true });
      if (r.exitCode !== 0 && !/already exists|already attached/i.test(r.all)) throw new MirrorUnreachableError(`cannot connect the registry container ${container} to the ${KIND_NETWORK} network: ${r.all.trim()}`);
    },
    async gateway() {
      await ensureKindNetwork();
      const r = await runProgram('docker', ['network', 'inspect', KIND_NETWORK, '--format', '{{json .IPAM.Config}}']);
      const v4 = ipv4Gateway(r.stdout);
      if (!v4) throw new MirrorUnreachableError(`the ${KIND_NETWORK} Docker network has no IPv4 subnet ('${r.stdout.trim()}'): the nodes cannot reach a mirror on this machine's loopback`);
      return v4;
    },
    probe: (url) => probeRegistry(url, 3000),
  };
}

/** kind makes its network on first use; a mirror's address on it is needed before that. */
async function ensureKindNetwork(): Promise<void> {
  if ((await runProgram('docker', ['network', 'inspect', KIND_NETWORK])).exitCode === 0) return;
  const r = await runProgram('docker', ['network', 'create', '-d', 'bridge', '-o', 'com.docker.network.bridge.enable_ip_masquerade=true', '-o', 'com.docker.network.driver.mtu=1500', KIND_NETWORK], { all: true });
  if (r.exitCode !== 0 && !/already exists/.test(r.all)) throw new MirrorUnreachableError(`cannot create the ${KIND_NETWORK} Docker network: ${r.all.trim()}`);
}
