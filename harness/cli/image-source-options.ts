// Turns --images auto|pull|build into the kind provider's options, and says
// which source was chosen and why. Pull mode runs kind's own node image and the
// CNI's upstream images, and adds only what those lack: the CNI plugins flannel
// delegates to (bridge, flannel...), copied into the nodes from the builder's
// cheap bin/cni-plugins output (Go, under a minute) or --cni-plugins-dir.
import { chooseImageSource, type ImagesMode } from '../cluster/kind/image-source.ts';
import { imagesNeeded } from '../cluster/kind/provider.ts';
import { defaultCniPluginsDir } from '../cluster/kind/cni-plugins.ts';
import { missingImages } from '../cluster/docker.ts';
import type { RegistryMirror } from '../cluster/kind/registry-mirror.ts';
import { readVersions } from '../images/versions.ts';
import { runImageScript } from '../images/scripts.ts';
import { tagOnly } from '../images/bundle.ts';
import type { StepPrinter } from './progress.ts';

export interface SourceFlags {
  images?: ImagesMode;
  cni: string;
  cri: 'containerd' | 'docker';
  k8sVersion?: string;
  nodeImage?: string;
  pullImages?: boolean;
  cniPluginsDir?: string;
}

export interface SourceOptions {
  nodeImage?: string;
  pullImages?: boolean;
  cniPluginsDir?: string;
}

export async function imageSourceOptions(flags: SourceFlags, mirrors: RegistryMirror[], out: StepPrinter, signal: AbortSignal): Promise<SourceOptions> {
  const mode = flags.images ?? 'auto';
  // The old switches keep their meaning: --pull-images pulls what is missing from whatever images were asked for.
  if (mode === 'auto' && flags.pullImages) return {};
  const built = imagesNeeded({ cni: flags.cni, cri: flags.cri, ...(flags.k8sVersion ? { kubernetesVersion: flags.k8sVersion } : {}), ...(flags.nodeImage ? { nodeImage: flags.nodeImage } : {}) });
  const builtImagesPresent = (await missingImages(built.needed)).length === 0;
  const kindNode = readVersions().KIND_NODE_IMAGE;
  let pullNode = flags.nodeImage ?? (flags.cri === 'containerd' ? kindNode : undefined);
  // An imported bundle holds kind's node image by tag (docker load keeps no registry digest): use it so.
  if (pullNode && !flags.nodeImage && tagOnly(pullNode) !== pullNode && (await missingImages([pullNode])).length && !(await missingImages([tagOnly(pullNode)])).length) pullNode = tagOnly(pullNode);
  const pulled = pullNode ? imagesNeeded({ cni: flags.cni, cri: flags.cri, nodeImage: pullNode }) : undefined;
  const pullImagesPresent = !!pulled && !builtImagesPresent && (await missingImages(pulled.needed)).length === 0;
  const choice = await chooseImageSource({ mode, mirrors, builtImagesPresent, pullImagesPresent, ...(flags.nodeImage ? { userNodeImage: flags.nodeImage } : {}) });
  out.line(choice.why);
  if (choice.source === 'build') return {};
  if (flags.cri === 'docker' && !flags.nodeImage) {
    // kind publishes no docker-CRI node image: the offline builder's (or the CI Dockerfile's) is needed.
    out.line('images: kind has no docker-CRI node image; the node image comes from the offline builder (or --node-image)');
  }
  const nodeImage = pullNode;
  let cniPluginsDir = flags.cniPluginsDir ?? defaultCniPluginsDir();
  if (!cniPluginsDir && built.recipe.cniPlugins.length) {
    out.step('building CNI plugins', `${built.recipe.cniPlugins.join(', ')}: kind's node image lacks them`);
    await runImageScript('build.sh', ['--only', 'bin/cni-plugins'], { onLine: (l) => out.line(`    ${l}`), signal });
    cniPluginsDir = defaultCniPluginsDir();
  }
  return {
    ...(nodeImage ? { nodeImage } : {}),
    // With a mirror, images come through it (ensureImages pulls or checks there); without, from the registries.
    ...(mirrors.length ? {} : { pullImages: true }),
    ...(cniPluginsDir ? { cniPluginsDir } : {}),
  };
}
