import type { Command } from 'commander';
import { Option } from 'commander';
import { runImageScript } from '../../images/scripts.ts';
import { neededImages } from '../../cluster/needed-images.ts';
import { bundleImages } from '../../images/bundle.ts';
import { missingImages } from '../../cluster/docker.ts';
import { loadSuites, SuiteError } from '../../suite/load.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { parseMirrors } from '../kind-bring-up.ts';
import { mirrorRef } from '../../cluster/kind/registry-mirror.ts';
import { readVersions } from '../../images/versions.ts';

async function loadOrExit(paths: string[]) {
  try {
    return await loadSuites(paths);
  } catch (err) {
    if (err instanceof SuiteError) throw new CliError(err.format(), EXIT.badInput);
    throw err;
  }
}

export function registerImages(program: Command): void {
  const images = program.command('images').description('Build, list and import the images a cluster needs (offline builder)');
  const print = (l: string) => process.stdout.write(`${l}\n`);
  images
    .command('build')
    .description('Build every image of the testbed from Go modules and Debian packages (cached in ~/.cache/kconform)')
    .option('--k8s-version <v>', 'Kubernetes version (see harness/images/versions.env)')
    .option('--cri <cri>', 'containerd or docker node image', 'containerd')
    .option('--cni <cni>', 'also the images of this CNI (kube-router, all); flannel is in the node images')
    .option('--only <name>', 'build only this artefact')
    .option('--force', 'rebuild even when cached')
    .action(async (o: { k8sVersion?: string; cri: string; cni?: string; only?: string; force?: boolean }) => {
      await runImageScript('build.sh', buildArgs(o), { onLine: print });
    });
  images
    .command('status')
    .description('Per image: cached, loaded into Docker, or missing')
    .option('--k8s-version <v>', 'Kubernetes version')
    .option('--json', 'machine-readable')
    .action(async (o: { k8sVersion?: string; json?: boolean }) => {
      await runImageScript('status.sh', [...(o.k8sVersion ? ['--k8s-version', o.k8sVersion] : []), ...(o.json ? ['--json'] : [])], { onLine: print });
    });
  images
    .command('list')
    .description('The images a run needs (node, CNI, probe, and every image in the suites\' fixtures)')
    .option('--for <suites...>', 'suite files or folders', ['suites'])
    .option('--cni <cni>', 'CNI of the kind cluster (omit for an existing cluster)')
    .addOption(new Option('--cri <cri>', 'container runtime of the kind cluster').choices(['containerd', 'docker']).default('containerd'))
    .option('--k8s-version <v>', 'Kubernetes version')
    .action(async (o: { for: string[]; cni?: string; cri: 'containerd' | 'docker'; k8sVersion?: string }) => {
      const list = await neededImages({ suites: await loadOrExit(o.for), ...(o.cni ? { cluster: { cni: o.cni, cri: o.cri, ...(o.k8sVersion ? { kubernetesVersion: o.k8sVersion } : {}) } } : {}) });
      const missing = new Set(await missingImages(list.map((i) => i.image)));
      for (const i of list) print(`${i.image}\t${missing.has(i.image) ? 'missing' : 'present'}\t${i.why}`);
    });
  images
    .command('bundle')
    .description('On a machine with registry access: pull and save every image a cluster and the checks need into one tar')
    .option('--cni <cni>', 'CNI', 'flannel')
    .addOption(new Option('--cri <cri>', 'container runtime').choices(['containerd', 'docker']).default('containerd'))
    .option('--k8s-version <v>', 'Kubernetes version')
    .option('--for <suites...>', 'suite files or folders whose fixture images to include', ['suites'])
    .requiredOption('-o, --out <file>', 'tar file to write')
    .addOption(new Option('--images <mode>', "pull: what --images pull runs (kind's own node image, upstream CNI images); build: the offline builder's node image").choices(['pull', 'build']).default('pull'))
    .option('--node-image <image>', 'node image to bundle instead')
    .option('--registry-mirror <url>', 'pull through this registry mirror (HOST:PORT or http(s)://HOST:PORT)')
    .action(async (o: { cni: string; cri: 'containerd' | 'docker'; k8sVersion?: string; for: string[]; out: string; images: 'pull' | 'build'; nodeImage?: string; registryMirror?: string }) => {
      const mirror = o.registryMirror ? parseMirrors({ registryMirror: [o.registryMirror] })[0] : undefined;
      // kind publishes no docker-CRI node image: that one is always the builder's (or --node-image).
      const nodeImage = o.nodeImage ?? (o.images === 'pull' && o.cri === 'containerd' ? readVersions().KIND_NODE_IMAGE : undefined);
      const list = await neededImages({ suites: await loadOrExit(o.for), cluster: { cni: o.cni, cri: o.cri, ...(o.k8sVersion ? { kubernetesVersion: o.k8sVersion } : {}), ...(nodeImage ? { nodeImage } : {}) } });
      await bundleImages(list.map((i) => i.image), o.out, print, mirror ? { mirrorRef: (i) => mirrorRef(i, mirror) } : {});
      print(`wrote ${o.out}: ${list.length} images; on the air-gapped machine: npx kconform images import ${o.out}`);
    });
  images
    .command('import')
    .description('Load a `docker save` bundle brought from a machine with registry access')
    .argument('<file>', 'tar file')
    .action(async (file: string) => {
      await runImageScript('import.sh', [file], { onLine: print });
    });
}

export function buildArgs(o: { k8sVersion?: string; cri?: string; cni?: string; only?: string; force?: boolean }): string[] {
  return [
    ...(o.k8sVersion ? ['--k8s-version', o.k8sVersion] : []),
    ...(o.cri ? ['--cri', o.cri] : []),
    ...(o.cni ? ['--cni', o.cni] : []),
    ...(o.only ? ['--only', o.only] : []),
    ...(o.force ? ['--force'] : []),
  ];
}
