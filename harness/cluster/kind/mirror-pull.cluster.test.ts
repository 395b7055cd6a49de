// Nodes pull through --registry-mirror: a real OCI registry (distribution's,
// built here by the project's builder) listens on the kind network's gateway,
// which the nodes reach; it holds agnhost as built here under a tag that no
// node image carries. A pod of that image runs (containerd found it through the
// hosts.toml kconform wrote); a pod of a tag the mirror lacks fails to pull.
// The registry stands in for the upstream one: it holds images built here.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execa } from 'execa';
import { kindUp } from './provider.ts';
import { kindClusters, kindDelete } from './kind-cli.ts';
import type { KindCluster } from './provider.ts';
import { startLoopbackRegistry, type LoopbackRegistry } from '../../testing/loopback-registry.ts';
import { TEST_CLUSTER } from '../../testing/test-cluster.ts';
import { probeImages } from '../../images/probe-images.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const NAME = `${TEST_CLUSTER}-mirror`;
const NODE = `${NAME}-control-plane`;

async function kubectl(...args: string[]): Promise<string> {
  const r = await execa('docker', ['exec', NODE, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', ...args], { reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${String(r.all)}`);
  return String(r.stdout);
}

/** The kind network's gateway: the host as the nodes see it. */
async function kindGateway(): Promise<string> {
  const r = await execa('docker', ['network', 'inspect', 'kind', '--format', '{{range .IPAM.Config}}{{.Gateway}} {{end}}']);
  const v4 = String(r.stdout).split(/\s+/).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  if (!v4) throw new Error(`no IPv4 gateway on the kind network: '${String(r.stdout)}'`);
  return v4;
}

async function podPhase(name: string, want: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await kubectl('get', 'pod', name, '-o', 'jsonpath={.status.phase}/{.status.containerStatuses[0].state.waiting.reason}');
    if (want.test(last)) return last;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return last;
}

// It creates a second cluster beside the test cluster: opt-in, like every test that needs one.
const extra = process.env.KCONFORM_EXTRA_CLUSTERS === '1';
if (!extra) process.stdout.write('mirror-pull test skipped: it creates a second cluster; set KCONFORM_EXTRA_CLUSTERS=1 to run it\n');

describe.skipIf(!kubeconfig || !extra)(`nodes pull through a real registry mirror${skipReason ? ` (skipped: ${skipReason})` : !extra ? ' (skipped: needs KCONFORM_EXTRA_CLUSTERS=1)' : ''}`, () => {
  let reg: LoopbackRegistry;
  let handle: KindCluster | undefined;

  beforeAll(async () => {
    reg = await startLoopbackRegistry({ listen: await kindGateway(), log: (l) => process.stdout.write(`  ${l}\n`) });
    await reg.pushFromDocker(probeImages().agnhost, 'e2e-test-images/agnhost:mirror-only');
    handle = await kindUp(
      { name: NAME, nodes: 1, cni: 'flannel', cri: 'containerd', registryMirrors: [{ registry: '*', endpoint: reg.endpoint }], keep: false },
      (step, detail) => process.stdout.write(`  [${NAME}] ${step}${detail ? ` ${detail}` : ''}\n`),
      new AbortController().signal,
    );
  }, 900_000);

  afterAll(async () => {
    await handle?.release().catch(() => {});
    if ((await kindClusters().catch(() => [] as string[])).includes(NAME)) await kindDelete(NAME).catch(() => {});
    await reg?.stop();
  }, 300_000);

  it('an image only the mirror holds runs; a tag the mirror lacks fails to pull', async () => {
    await kubectl('run', 'mirror-only', '--image=registry.k8s.io/e2e-test-images/agnhost:mirror-only', '--restart=Never', '--', 'pause');
    await kubectl('run', 'not-on-mirror', '--image=registry.k8s.io/e2e-test-images/agnhost:not-on-mirror', '--restart=Never', '--', 'pause');
    expect(await podPhase('mirror-only', /^Running/, 180_000)).toMatch(/^Running/);
    expect(await podPhase('not-on-mirror', /ErrImagePull|ImagePullBackOff/, 120_000)).toMatch(/^Pending\/(ErrImagePull|ImagePullBackOff)$/);
    const events = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=mirror-only,reason=Pulled', '-o', 'jsonpath={.items[0].message}');
    expect(events).toMatch(/Successfully pulled image "registry.k8s.io\/e2e-test-images\/agnhost:mirror-only"/);
  }, 600_000);
});
