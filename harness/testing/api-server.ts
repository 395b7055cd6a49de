// A real kube-apiserver (with etcd) in Docker containers, for the API-only test
// tier: no kubelet, no controllers, just the API. Certificates and tokens are made
// fresh for each start; the API port is published on 127.0.0.1 only. Ryuk (the
// testcontainers reaper) cannot be pulled here, so stop() removes everything
// itself, and a start first sweeps what a crashed earlier run left behind.
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GenericContainer, ImageName, Wait, getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { apiServerImages, skipReasonFor, type ApiServerImages } from './api-images.ts';
import { makeApiServerPki, type ApiServerPki } from './api-pki.ts';

process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
// Ports are published on 127.0.0.1 only (LoopbackContainer). Inside a container
// testcontainers would otherwise dial the Docker bridge gateway (172.17.0.1),
// where nothing listens.
process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= '127.0.0.1';

const LABEL = 'dev.kconform.api-tier';
const OWNER_LABEL = 'dev.kconform.owner-pid';
const PKI_DIR = '/etc/kconform-pki';
export const ADMIN_CONTEXT = 'kconform-api-admin';
export const STUDENT_CONTEXT = 'kconform-api-student';

export interface StartedApiServer {
  /** https://127.0.0.1:<port> */
  server: string;
  /** A kubeconfig with two contexts: ADMIN_CONTEXT (current, system:masters) and STUDENT_CONTEXT (no permissions). */
  kubeconfig: string;
  adminContext: string;
  studentContext: string;
  images: ApiServerImages;
  startupMs: number;
  stop(): Promise<void>;
}

/** The reason the tier cannot run here (no Docker, images missing), or undefined when it can. */
export async function apiTierSkipReason(
  images: ApiServerImages = apiServerImages(),
  connect: () => Promise<Pick<ContainerRuntimeClient, 'image'>> = getContainerRuntimeClient,
): Promise<string | undefined> {
  let client: Pick<ContainerRuntimeClient, 'image'>;
  try {
    client = await connect();
  } catch {
    return skipReasonFor({ docker: 'unavailable' });
  }
  const missingImages: string[] = [];
  for (const image of [images.apiserver, images.etcd]) {
    if (!(await client.image.exists(ImageName.fromString(image)))) missingImages.push(image);
  }
  return skipReasonFor({ docker: 'ok', missingImages });
}

/** Keeps the last lines a container printed, for the error when it does not come up. */
class LogTail {
  readonly #lines: string[] = [];
  consume = (stream: Readable) => {
    stream.on('data', (chunk: Buffer | string) => {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') this.#lines.push(line.trimEnd());
      if (this.#lines.length > 30) this.#lines.splice(0, this.#lines.length - 30);
    });
    stream.on('error', () => undefined);
  };
  text(n = 15): string {
    return this.#lines.slice(-n).join('\n');
  }
}

/** A container whose published ports listen on 127.0.0.1 only (testcontainers binds 0.0.0.0). */
class LoopbackContainer extends GenericContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as { HostIp?: string }[][]) {
      for (const b of bindings) b.HostIp = '127.0.0.1';
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes containers and networks of earlier runs whose process is gone. */
async function sweepLeftovers(client: ContainerRuntimeClient): Promise<void> {
  const docker = client.container.dockerode;
  const stale = (labels: Record<string, string> | undefined) => {
    const pid = Number(labels?.[OWNER_LABEL] ?? 'NaN');
    return labels?.[LABEL] === 'true' && Number.isInteger(pid) && !processAlive(pid);
  };
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
  for (const c of containers) if (stale(c.Labels)) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  const networks = await docker.listNetworks({ filters: { label: [LABEL] } });
  for (const n of networks) if (stale(n.Labels)) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

/** The sweep on its own: for a runner whose API tier was interrupted. Never throws. */
export async function sweepApiTierLeftovers(): Promise<void> {
  try {
    await sweepLeftovers(await getContainerRuntimeClient());
  } catch {
    // Docker gone as well: nothing to remove.
  }
}

function kubeconfigYaml(server: string, pki: ApiServerPki): string {
  // JSON is YAML; every client reads it.
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kconform-api', cluster: { server, 'certificate-authority-data': Buffer.from(pki.caCert).toString('base64') } }],
      users: [
        { name: 'kconform-admin', user: { token: pki.adminToken } },
        { name: 'student', user: { token: pki.studentToken } },
      ],
      contexts: [
        { name: ADMIN_CONTEXT, context: { cluster: 'kconform-api', user: 'kconform-admin', namespace: 'default' } },
        { name: STUDENT_CONTEXT, context: { cluster: 'kconform-api', user: 'student', namespace: 'default' } },
      ],
      'current-context': ADMIN_CONTEXT,
    },
    null,
    2,
  );
}

function etcdFlags(): string[] {
  return [
    '--name=kconform-api',
    '--data-dir=/var/lib/etcd',
    '--listen-client-urls=http://0.0.0.0:2379',
    '--advertise-client-urls=http://etcd:2379',
    '--listen-peer-urls=http://127.0.0.1:2380',
    '--initial-advertise-peer-urls=http://127.0.0.1:2380',
    '--initial-cluster=kconform-api=http://127.0.0.1:2380',
    // Test data on tmpfs: durability buys nothing here.
    '--unsafe-no-fsync',
  ];
}

function apiserverFlags(): string[] {
  return [
    '--etcd-servers=http://etcd:2379',
    '--bind-address=0.0.0.0',
    '--secure-port=6443',
    `--tls-cert-file=${PKI_DIR}/apiserver.crt`,
    `--tls-private-key-file=${PKI_DIR}/apiserver.key`,
    `--token-auth-file=${PKI_DIR}/tokens.csv`,
    '--authorization-mode=RBAC',
    `--service-account-key-file=${PKI_DIR}/sa.pub`,
    `--service-account-signing-key-file=${PKI_DIR}/sa.key`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.0.0.0/24',
    // No controller-manager creates the "default" ServiceAccount, so pods could not be admitted.
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--profiling=false',
  ];
}

export interface StartApiServerOptions {
  images?: ApiServerImages;
  /** Default 120s. */
  startupTimeoutMs?: number;
  /** More kube-apiserver flags (feature gates, admission plugins). */
  extraApiserverFlags?: string[];
}

/** Starts etcd and kube-apiserver; on any failure removes what it started and throws with the last log lines. */
export async function startApiServer(opts: StartApiServerOptions = {}): Promise<StartedApiServer> {
  const t0 = Date.now();
  const images = opts.images ?? apiServerImages();
  const client = await getContainerRuntimeClient();
  await sweepLeftovers(client);

  const undo: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    const errors: string[] = [];
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (errors.length > 0) throw new Error(`api server teardown: ${errors.join('; ')}`);
  };

  const labels = { [LABEL]: 'true', [OWNER_LABEL]: String(process.pid) };
  const etcdLog = new LogTail();
  const apiLog = new LogTail();
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'kconform-api-'));
    await chmod(dir, 0o700);
    undo.push(() => rm(dir, { recursive: true, force: true }));

    const networkName = `kconform-api-${process.pid}-${Date.now().toString(36)}`;
    const network = await client.container.dockerode.createNetwork({ Name: networkName, Labels: labels, CheckDuplicate: true });
    undo.push(() => network.remove());

    const pki = await makeApiServerPki();

    const timeoutMs = opts.startupTimeoutMs ?? 120_000;
    const files = [
      { content: pki.serverCert, target: `${PKI_DIR}/apiserver.crt` },
      { content: pki.serverKey, target: `${PKI_DIR}/apiserver.key` },
      { content: pki.serviceAccountKey, target: `${PKI_DIR}/sa.key` },
      { content: pki.serviceAccountPub, target: `${PKI_DIR}/sa.pub` },
      { content: pki.tokensCsv, target: `${PKI_DIR}/tokens.csv` },
    ].map((f) => ({ ...f, mode: 0o644 }));
    // Both at once: the apiserver keeps dialling etcd until it answers, which saves etcd's start-up time.
    const [etcd, apiserver] = await Promise.allSettled([
      new GenericContainer(images.etcd)
        .withLabels(labels)
        .withNetworkMode(networkName)
        .withNetworkAliases('etcd')
        .withTmpFs({ '/var/lib/etcd': 'rw' })
        .withEntrypoint(['etcd'])
        .withCommand(etcdFlags())
        .withLogConsumer(etcdLog.consume)
        .withWaitStrategy(Wait.forLogMessage(/ready to serve client requests/))
        .withStartupTimeout(timeoutMs)
        .start()
        .catch((err: unknown) => {
          throw new Error(`etcd (${images.etcd}) did not start: ${err instanceof Error ? err.message : String(err)}\n${etcdLog.text()}`);
        }),
      new LoopbackContainer(images.apiserver)
        .withLabels(labels)
        .withNetworkMode(networkName)
        .withNetworkAliases('kube-apiserver')
        .withCopyContentToContainer(files)
        .withEntrypoint(['kube-apiserver'])
        .withCommand([...apiserverFlags(), ...(opts.extraApiserverFlags ?? [])])
        .withExposedPorts(6443)
        .withLogConsumer(apiLog.consume)
        .withWaitStrategy(Wait.forHttp('/readyz', 6443).usingTls().allowInsecure().forStatusCode(200).withReadTimeout(250))
        .withStartupTimeout(timeoutMs)
        .start()
        .catch((err: unknown) => {
          throw new Error(`kube-apiserver (${images.apiserver}) did not become ready: ${err instanceof Error ? err.message : String(err)}\n${apiLog.text()}`);
        }),
    ]);
    for (const started of [etcd, apiserver]) {
      if (started.status === 'fulfilled') undo.push(() => started.value.stop({ timeout: 0, remove: true }));
    }
    if (etcd.status === 'rejected') throw etcd.reason;
    if (apiserver.status === 'rejected') throw apiserver.reason;

    const server = `https://127.0.0.1:${apiserver.value.getMappedPort(6443)}`;
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml(server, pki), { mode: 0o600 });
    return { server, kubeconfig, adminContext: ADMIN_CONTEXT, studentContext: STUDENT_CONTEXT, images, startupMs: Date.now() - t0, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
