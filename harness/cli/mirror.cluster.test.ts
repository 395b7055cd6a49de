// --images pull through a registry mirror, against a real OCI registry on
// loopback (distribution's registry, built here by the project's builder). The
// registry holds images built here under their upstream names, standing in for
// the upstream ones: it is not a copy of any upstream registry. A mirror that
// lacks one image fails in seconds, naming the image and the mirror, before any
// cluster work. Needs Docker (the cluster tier's guarantee), not a cluster.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { pathWithout } from '../testing/fake-path.ts';
import { startLoopbackRegistry, type LoopbackRegistry } from '../testing/loopback-registry.ts';
import { missingImages } from '../cluster/docker.ts';
import { k8sImageSet, readVersions } from '../images/versions.ts';
import { mirrorHasImage } from '../cluster/kind/registry-mirror.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');
const flannel = k8sImageSet(readVersions()).flannel;

describe.skipIf(!kubeconfig)(`--images pull through a loopback registry mirror${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let reg: LoopbackRegistry;

  beforeAll(async () => {
    // Every address: the host pulls from 127.0.0.1, the nodes would reach it on the kind network's gateway.
    reg = await startLoopbackRegistry({ listen: '0.0.0.0', log: (l) => process.stdout.write(`  ${l}\n`) });
    // flannel as built here, under its upstream path (the mirror layout drops the registry host).
    await reg.pushFromDocker(flannel, flannel.replace(/^ghcr\.io\//, ''));
  }, 900_000);
  afterAll(async () => reg?.stop());

  it('the registry serves what was pushed, and says no for what was not', async () => {
    const m = { registry: '*', endpoint: reg.endpoint };
    expect(await mirrorHasImage(flannel, m)).toEqual({ ok: true, reason: 'present' });
    expect((await mirrorHasImage('kindest/node:v1.37.0', m)).reason).toBe(`not on mirror ${reg.endpoint} (HTTP 404 for kindest/node:v1.37.0)`);
  });

  it('a mirror lacking the node image fails in seconds, naming the image and the mirror; exit 3 and a report', async () => {
    const node = 'kindest/node:v1.37.0';
    expect(await missingImages([node])).toEqual([node]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-mirror-'));
    const fake = pathWithout(['kind']);
    const kind = fake.script('kind', 'case "$1" in get) echo "No kind clusters found." >&2; exit 0;; *) echo "kind must not be asked to $1" >&2; exit 1;; esac');
    const t0 = Date.now();
    const r = await runCli(
      ['conformance', path.join('suites', 'nodes.yaml'), '--images', 'pull', '--registry-mirror', reg.endpoint, '--node-image', node, '--name', 'kc-mirror-never', '--reports', path.join(dir, 'reports')],
      { PATH: fake.dir, KCONFORM_KIND: kind, KCONFORM_CACHE: path.join(dir, 'cache'), KCONFORM_CNI_PLUGINS_DIR: dir, KUBECONFIG: '' },
    );
    const secs = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`images: pull (--images pull) through ${reg.endpoint}`);
    expect(r.stderr).toMatch(new RegExp(`missing images[^\\n]*\\n\\s+${node.replace(/[.:/]/g, '\\$&')}\\s+\\(docker pull ${reg.host.replace(/[.:/]/g, '\\$&')}/kindest/node:v1\\.37\\.0 failed`));
    // flannel is on the mirror: the nodes would pull it from there, so it is not named.
    expect(r.stderr).not.toMatch(/^\s+ghcr\.io\/flannel-io\/flannel/m);
    expect(r.stderr).toMatch(new RegExp(`registry mirror ${reg.endpoint.replace(/[.:/]/g, '\\$&')}: the nodes reach it as http://[0-9.]+:${new URL(reg.endpoint).port} \\(the kind network's gateway; it listens there too\\)`));
    expect(secs).toBeLessThan(30);
    process.stdout.write(`mirror lacking the node image: exit ${r.code} after ${secs.toFixed(1)}s\n`);
  }, 120_000);

  it('a mirror on loopback only, which the nodes cannot reach, fails in seconds naming it; exit 3 and a report', async () => {
    const lo = await startLoopbackRegistry({ listen: '127.0.0.1' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-mirror-'));
    const fake = pathWithout(['kind']);
    const kind = fake.script('kind', 'case "$1" in get) echo "No kind clusters found." >&2; exit 0;; *) echo "kind must not be asked to $1" >&2; exit 1;; esac');
    try {
      const t0 = Date.now();
      const r = await runCli(
        ['conformance', path.join('suites', 'nodes.yaml'), '--images', 'pull', '--registry-mirror', lo.endpoint, '--node-image', 'kindest/node:v1.37.0', '--name', 'kc-mirror-never', '--reports', path.join(dir, 'reports')],
        { PATH: fake.dir, KCONFORM_KIND: kind, KCONFORM_CACHE: path.join(dir, 'cache'), KCONFORM_CNI_PLUGINS_DIR: dir, KUBECONFIG: '' },
      );
      const secs = (Date.now() - t0) / 1000;
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`registry mirror ${lo.endpoint.replace(/[.:/]/g, '\\$&')}: the kind nodes cannot reach it \\(their 127\\.0\\.0\\.1 is the node itself\\): it does not answer on the kind network's gateway [0-9.]+:${new URL(lo.endpoint).port} \\(`));
      expect(r.stdout).toMatch(/no check ran \(checking registry mirror failed\)/);
      expect(secs).toBeLessThan(30);
      process.stdout.write(`mirror the nodes cannot reach: exit ${r.code} after ${secs.toFixed(1)}s\n`);
    } finally {
      await lo.stop();
    }
  }, 120_000);
});
