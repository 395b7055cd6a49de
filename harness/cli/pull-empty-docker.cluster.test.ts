// Pull mode for real, from nothing: `conformance --images pull --registry-mirror
// http://127.0.0.1:PORT`, typed as a user types it, with a Docker daemon whose
// image store is empty (a second dockerd with its own data root; the main one is
// not touched). The registry holds images BUILT HERE under their upstream names,
// standing in for the upstream ones (harness/testing/pull-testbed.ts): the lean
// node image as kindest/node, which preloads nothing, so the nodes pull every
// control-plane and CNI image through the mirror, and the host pulls the node image.
// Then `images bundle` on a machine with registry access and without the
// project's node image (another empty daemon), and its import into an empty one.
// Opt-in (KCONFORM_EXTRA_CLUSTERS=1): a second daemon and a second cluster. Root.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { startPullTestbed, type PullTestbed } from '../testing/pull-testbed.ts';
import { startSecondDocker, type SecondDocker } from '../testing/second-docker.ts';
import { findOnPath, runProgram } from '../programs.ts';

const extra = process.env.KCONFORM_EXTRA_CLUSTERS === '1';
const root = process.getuid?.() === 0;
const why = !extra ? 'needs KCONFORM_EXTRA_CLUSTERS=1 (a second Docker daemon and cluster)' : !root ? 'needs root (a second dockerd, iptables)' : !findOnPath('dockerd') ? 'no dockerd on PATH' : '';
if (why) process.stdout.write(`pull-from-empty-Docker test skipped: ${why}\n`);

const NAME = `${process.env.KCONFORM_TEST_CLUSTER ?? 'kc-test'}-pull`;
const say = (l: string) => process.stdout.write(`  ${l}\n`);

/** kubeadm's images under the registry's k8s/ path, as kubeadm names them with --image-repository (CoreDNS one level up). */
async function copyKubeadmImages(t: PullTestbed): Promise<void> {
  for (const up of t.images.filter((i) => i.startsWith('registry.k8s.io/') && !i.includes('agnhost'))) {
    const name = up.slice('registry.k8s.io/'.length).replace(/^coredns\/coredns:/, 'coredns:');
    await t.registry.copy(up.slice('registry.k8s.io/'.length), `k8s/${name}`);
  }
}

describe.skipIf(!!why)(`--images pull from a loopback registry into an empty Docker${why ? ` (skipped: ${why})` : ''}`, () => {
  let tb: PullTestbed | undefined;
  let d2: SecondDocker | undefined;
  let work = '';

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'kconform-pull-'));
    tb = await startPullTestbed(say);
    d2 = await startSecondDocker({ dir: '/tmp/kc-pull-d2', pool: '10.213.0.0/16', kindNetwork: { bridge: 'kcpull0', subnet: '10.218.0.0/24' }, log: say });
  }, 1_800_000);

  afterAll(async () => {
    for (const n of [NAME, `${NAME}-repo`, `${NAME}-dcri`]) if (d2) await runCli(['cluster', 'down', '--name', n], { DOCKER_HOST: d2.host }).catch(() => undefined);
    await d2?.stop();
    await tb?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 300_000);

  it('creates a cluster and reports, with every image it uses absent from Docker beforehand and pulled through the mirror', async () => {
    const d = d2!;
    const t = tb!;
    // Beforehand: nothing at all in this daemon's image store.
    expect((await d.docker(['images', '-q'])).out.trim()).toBe('');
    for (const img of t.images) expect((await d.docker(['image', 'inspect', img])).code, img).not.toBe(0);

    const reports = path.join(work, 'reports');
    const t0 = Date.now();
    const r = await runCli(
      ['conformance', path.join('suites', 'nodes.yaml'), '--images', 'pull', '--registry-mirror', t.mirror, '--node-image', t.nodeImage, '--name', NAME, '--nodes', '2', '--keep-cluster', '--reports', reports],
      { DOCKER_HOST: d.host },
    );
    const secs = (Date.now() - t0) / 1000;
    say(`conformance --images pull from ${t.mirror} into an empty Docker: exit ${r.code} in ${secs.toFixed(1)}s`);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(r.stderr).toContain(`images: pull (--images pull) through ${t.mirror}`);
    expect(r.stderr).toContain(`registry mirror ${t.mirror}: the nodes reach it as http://10.218.0.1:${new URL(t.mirror).port} (the kind network's gateway; it listens there too)`);
    expect(r.stderr).toContain(`pulling ${t.nodeImage} through ${t.mirror}`);
    expect(r.stderr).toMatch(/copied CNI plugin\(s\) (bridge, flannel|flannel, bridge) from/);
    const results = JSON.parse(await readFile(path.join(reports, 'results.json'), 'utf8')) as { summary: { passed: number; failed: number; errored: number } };
    expect(results.summary).toMatchObject({ failed: 0, errored: 0 });
    expect(results.summary.passed).toBeGreaterThan(0);

    // The host pulled the node image only; the nodes pulled the rest through the mirror.
    const hostImages = (await d.docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).out.split('\n').filter(Boolean).sort();
    expect(hostImages).toEqual([`${new URL(t.mirror).host}/kindest/node:${t.nodeImage.split(':')[1]}`, t.nodeImage].sort());
    const nodeStore = (await d.docker(['exec', `${NAME}-control-plane`, 'ctr', '-n', 'k8s.io', 'images', 'ls', '-q'])).out;
    for (const img of t.images.slice(1).filter((i) => !i.includes('agnhost'))) expect(nodeStore, img).toContain(img);
    // ... and none of it came with the node image.
    const preloaded = await d.docker(['run', '--rm', '--entrypoint', '/bin/sh', t.nodeImage, '-c', 'ls /var/lib/containerd/io.containerd.content.v1.content/blobs/sha256 2>/dev/null | wc -l']);
    expect(preloaded.out.trim()).toBe('0');
    const down = await runCli(['cluster', 'down', '--name', NAME], { DOCKER_HOST: d.host });
    expect(down.code, down.stderr).toBe(0);
  }, 900_000);

  it('--image-repository: the control-plane images and pause from one repository, as kubeadm means it', async () => {
    const d = d2!;
    const t = tb!;
    const host = new URL(t.mirror).host;
    const repo = `${host}/k8s`;
    // A repository is missing images: refused in seconds, each named.
    const t0 = Date.now();
    const bad = await runCli(['cluster', 'up', '--images', 'pull', '--registry-mirror', t.mirror, '--image-repository', `${host}/nothing-here`, '--node-image', t.nodeImage, '--name', `${NAME}-repo`, '--nodes', '1'], { DOCKER_HOST: d.host });
    say(`repository lacking the images: exit ${bad.code} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(`--image-repository ${host}/nothing-here: kubeadm takes these images from it, and it lacks them (nothing was created):\n  ${host}/nothing-here/kube-apiserver:v1.37.2  (not on mirror ${t.mirror} (HTTP 404`);
    expect((await d.docker(['ps', '-aq', '--filter', `name=${NAME}-repo`])).out.trim()).toBe('');

    await copyKubeadmImages(t);
    const r = await runCli(['cluster', 'up', '--images', 'pull', '--registry-mirror', t.mirror, '--image-repository', repo, '--node-image', t.nodeImage, '--name', `${NAME}-repo`, '--nodes', '1'], { DOCKER_HOST: d.host });
    try {
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      expect(r.stderr).toContain(`7 images present in ${repo}`);
      const node = `${NAME}-repo-control-plane`;
      const store = (await d.docker(['exec', node, 'ctr', '-n', 'k8s.io', 'images', 'ls', '-q'])).out.split('\n');
      for (const n of ['kube-apiserver:v1.37.2', 'kube-controller-manager:v1.37.2', 'kube-scheduler:v1.37.2', 'kube-proxy:v1.37.2', 'coredns:', 'etcd:', 'pause:']) {
        expect(store.some((l) => l.startsWith(`${repo}/${n}`)), `${repo}/${n} in ${store.join(' ')}`).toBe(true);
      }
      // Nothing of kubeadm's came from the default registry: the repository is the only source.
      expect(store.filter((l) => /^registry\.k8s\.io\/(kube-|etcd|coredns|pause)/.test(l))).toEqual([]);
      const podImages = (await d.docker(['exec', node, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', 'get', 'pods', '-n', 'kube-system', '-o', 'jsonpath={.items[*].spec.containers[*].image}'])).out.split(' ');
      say(`kube-system pods run: ${[...new Set(podImages)].join(' ')}`);
      expect(podImages.filter((i) => !i.startsWith(`${repo}/`) && !i.includes('flannel'))).toEqual([]);
    } finally {
      await runCli(['cluster', 'down', '--name', `${NAME}-repo`], { DOCKER_HOST: d.host });
    }
  }, 900_000);

  it('a mirror run as a container that publishes its port on loopback: kconform joins it to the kind network', async () => {
    const d = d2!;
    const t = tb!;
    const { freePort } = await import('../testing/loopback-registry.ts');
    // kind's own local-registry pattern: the registry in a container, published on 127.0.0.1 only,
    // so the kind network's gateway does not answer on that port and the container is the one way in.
    // It serves the testbed's store read-only with the registry program built here, in the node
    // image's userland (the only image this daemon holds; pulled first when this case runs alone).
    const nodeRef = `${new URL(t.mirror).host}/kindest/node:${t.nodeImage.split(':')[1]}`;
    if ((await d.docker(['image', 'inspect', nodeRef])).code !== 0) expect((await d.docker(['pull', nodeRef])).code).toBe(0);
    const cfgDir = await mkdtemp(path.join(os.tmpdir(), 'kconform-pubreg-'));
    await writeFile(path.join(cfgDir, 'config.yml'), ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', '    rootdirectory: /data', '  maintenance:', '    uploadpurging:', '      enabled: false', '    readonly:', '      enabled: true', 'http:', '  addr: 0.0.0.0:5000', ''].join('\n'));
    const port = await freePort('127.0.0.1');
    const container = `${NAME}-registry`;
    const run = await d.docker(['run', '-d', '--name', container, '-p', `127.0.0.1:${port}:5000`, '-e', 'OTEL_TRACES_EXPORTER=none', '-v', `${t.registry.program}:/kc/registry:ro`, '-v', `${t.registry.dataDir}:/data:ro`, '-v', `${cfgDir}:/kc/etc:ro`, '--entrypoint', '/kc/registry', nodeRef, 'serve', '/kc/etc/config.yml']);
    const mirror = `http://127.0.0.1:${port}`;
    try {
      expect(run.code, run.out).toBe(0);
      let up = false;
      for (let i = 0; i < 50 && !up; i++) {
        up = await fetch(`${mirror}/v2/`).then((res) => res.ok, () => false);
        if (!up) await new Promise((res) => setTimeout(res, 200));
      }
      expect(up, `registry container on ${mirror}`).toBe(true);
      const t0 = Date.now();
      const r = await runCli(['cluster', 'up', '--images', 'pull', '--registry-mirror', mirror, '--node-image', t.nodeImage, '--name', `${NAME}-pub`, '--nodes', '1'], { DOCKER_HOST: d.host });
      say(`mirror in a publishing container: cluster up exit ${r.code} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      expect(r.stderr).toContain(`${mirror}: the nodes reach it as http://${container}:5000 (container ${container} publishes port ${port}; connected to the kind network)`);
      // The node's containerd pulled kubeadm's images from the container: the only source on that port.
      const node = `${NAME}-pub-control-plane`;
      const store = (await d.docker(['exec', node, 'ctr', '-n', 'k8s.io', 'images', 'ls', '-q'])).out;
      for (const img of t.images.filter((i) => /kube-apiserver|etcd|pause|flannel/.test(i))) expect(store, img).toContain(img);
      const hosts = (await d.docker(['exec', node, 'sh', '-c', 'cat /etc/containerd/certs.d/*/hosts.toml'])).out;
      expect(hosts).toContain(`http://${container}:5000`);
    } finally {
      await runCli(['cluster', 'down', '--name', `${NAME}-pub`], { DOCKER_HOST: d.host });
      await d.docker(['rm', '-f', container]);
      await rm(cfgDir, { recursive: true, force: true });
    }
  }, 900_000);

  // docker-CRI nodes pull kubeadm's images with their own dockerd, which cannot map a registry
  // name to another address (containerd's hosts.toml can): a loopback repository is named to
  // kubeadm and cri-dockerd by the address the nodes reach (here the kind network's gateway),
  // listed as plain HTTP in the node's daemon.json. Before that (found 2026-12-03, issue #16)
  // kubeadm init timed out: the node's dockerd looked for 127.0.0.1:PORT in the node itself.
  it('docker CRI (cri-dockerd): the control plane and pause from a loopback --image-repository, reached at the kind gateway', async () => {
    const d = d2!;
    const t = tb!;
    const host = new URL(t.mirror).host;
    const repo = `${host}/k8s`;
    // docker-CRI nodes run the node image built here (kind publishes none with cri-dockerd); the
    // empty daemon gets it the way a user's machine would: docker load of what `images bundle` saves.
    const nodeDocker = `kconform/node-docker:${t.nodeImage.split(':')[1]}`;
    if ((await d.docker(['image', 'inspect', nodeDocker])).code !== 0) {
      const moved = await runProgram('bash', ['-c', `docker save ${nodeDocker} | DOCKER_HOST=${d.host} docker load`], { all: true, timeout: 600_000 });
      expect(moved.exitCode, moved.all).toBe(0);
    }
    await copyKubeadmImages(t);
    const name = `${NAME}-dcri`;
    const t0 = Date.now();
    const r = await runCli(['cluster', 'up', '--cri', 'docker', '--images', 'pull', '--registry-mirror', t.mirror, '--image-repository', repo, '--name', name, '--nodes', '1'], { DOCKER_HOST: d.host });
    say(`docker CRI through the mirror, --image-repository ${repo}: cluster up exit ${r.code} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    try {
      expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
      const nodeRepo = `10.218.0.1:${new URL(t.mirror).port}/k8s`;
      expect(r.stderr).toContain(`${repo}: docker-CRI nodes pull it as ${nodeRepo} (their 127.0.0.1 is the node itself`);
      const pause = `${nodeRepo}/pause:3.10.2`;
      expect(r.stderr).toContain(`cri-dockerd --pod-infra-container-image=${pause}`);
      expect(r.stderr).toContain(`node dockerd: insecure-registries 10.218.0.1:${new URL(t.mirror).port}`);
      const node = `${name}-control-plane`;
      // cri-dockerd runs with the flag, and every pod sandbox on the node is that pause image.
      const args = (await d.docker(['exec', node, 'sh', '-c', 'for p in /proc/[0-9]*; do c=$(tr "\\0" " " < $p/cmdline 2>/dev/null); case "$c" in *cri-dockerd\\ *) echo "$c";; esac; done'])).out;
      expect(args).toContain(`--pod-infra-container-image=${pause}`);
      const running = (await d.docker(['exec', node, 'docker', 'ps', '--format', '{{.Image}}'])).out.split('\n').filter(Boolean);
      say(`images running in the node's dockerd: ${[...new Set(running)].sort().join(' ')}`);
      expect(running).toContain(pause);
      expect(running.filter((i) => /(^|\/)pause:/.test(i) && i !== pause)).toEqual([]);
      // kubeadm's images came from the repository (pulled by the node's dockerd), none from the default registry.
      const store = (await d.docker(['exec', node, 'docker', 'images', '--format', '{{.Repository}}:{{.Tag}}'])).out.split('\n');
      for (const n of ['kube-apiserver:v1.37.2', 'kube-proxy:v1.37.2', 'etcd:', 'coredns:', 'pause:']) expect(store.some((l) => l.startsWith(`${nodeRepo}/${n}`)), `${nodeRepo}/${n} in ${store.join(' ')}`).toBe(true);
      expect(running.filter((i) => /^registry\.k8s\.io\/(kube-|etcd|coredns|pause)/.test(i))).toEqual([]);
      const podImages = (await d.docker(['exec', node, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', 'get', 'pods', '-n', 'kube-system', '-o', 'jsonpath={.items[*].spec.containers[*].image}'])).out.split(' ');
      say(`kube-system pods run: ${[...new Set(podImages)].join(' ')}`);
      expect(podImages.filter((i) => !i.startsWith(`${nodeRepo}/`) && !i.includes('flannel'))).toEqual([]);
      // The node image's own dockerd settings were kept beside the added registry.
      const info = (await d.docker(['exec', node, 'docker', 'info', '--format', '{{json .RegistryConfig.IndexConfigs}} {{.CgroupDriver}}'])).out;
      expect(info).toContain(`10.218.0.1:${new URL(t.mirror).port}`);
      expect(info).toContain('systemd');
    } finally {
      await runCli(['cluster', 'down', '--name', name], { DOCKER_HOST: d.host });
    }
  }, 900_000);

  it('a mirror the nodes cannot reach fails in seconds, naming it', async () => {
    // The host reaches this one on loopback; the nodes would find nothing on the gateway at that port.
    const { startLoopbackRegistry } = await import('../testing/loopback-registry.ts');
    const lo = await startLoopbackRegistry({ listen: '127.0.0.1' });
    try {
      const t0 = Date.now();
      const r = await runCli(['cluster', 'up', '--images', 'pull', '--registry-mirror', lo.endpoint, '--node-image', tb!.nodeImage, '--name', `${NAME}-never`, '--nodes', '1'], { DOCKER_HOST: d2!.host });
      const secs = (Date.now() - t0) / 1000;
      say(`unreachable mirror: exit ${r.code} in ${secs.toFixed(1)}s`);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`registry mirror ${lo.endpoint}: the kind nodes cannot reach it (their 127.0.0.1 is the node itself): it does not answer on the kind network's gateway 10.218.0.1:${new URL(lo.endpoint).port}`);
      expect(secs).toBeLessThan(30);
    } finally {
      await lo.stop();
    }
  }, 120_000);

  it('images bundle from the registry standing in for the internet, without the project\'s node image; imported into an empty Docker', async () => {
    const t = tb!;
    const tar = path.join(work, 'bundle.tar');
    const d3 = await startSecondDocker({ dir: '/tmp/kc-pull-d3', pool: '10.214.0.0/16', log: say });
    try {
      expect((await d3.docker(['images', '-q'])).out.trim()).toBe('');
      const t0 = Date.now();
      const b = await runCli(['images', 'bundle', '--registry-mirror', t.mirror, '--node-image', t.nodeImage, '-o', tar], { DOCKER_HOST: d3.host });
      say(`images bundle: exit ${b.code} in ${((Date.now() - t0) / 1000).toFixed(1)}s, ${((await stat(tar).catch(() => ({ size: 0 }))).size / 1e6).toFixed(0)} MB`);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toContain(`pull   ${new URL(t.mirror).host}/kindest/node:`);
      expect((await d3.docker(['image', 'inspect', 'kconform/node:v1.37.2'])).code).not.toBe(0);
    } finally {
      await d3.stop();
    }
    const d4 = await startSecondDocker({ dir: '/tmp/kc-pull-d4', pool: '10.215.0.0/16', log: say });
    try {
      expect((await d4.docker(['images', '-q'])).out.trim()).toBe('');
      const imp = await runCli(['images', 'import', tar], { DOCKER_HOST: d4.host });
      expect(imp.code, imp.stderr).toBe(0);
      const listed = (await d4.docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).out.split('\n').filter(Boolean).sort();
      say(`imported into an empty Docker: ${listed.join(', ')}`);
      const flannel = t.images.find((i) => i.includes('flannel'))!;
      const agnhost = t.images.find((i) => i.includes('agnhost'))!;
      expect(listed).toEqual([t.nodeImage, flannel, agnhost].sort());
    } finally {
      await d4.stop();
    }
    expect(existsSync('/tmp/kc-pull-d3') || existsSync('/tmp/kc-pull-d4')).toBe(false);
  }, 900_000);
});
