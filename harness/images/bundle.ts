// `kconform images bundle`: on a machine with registry access, pull every image a
// cluster and the checks need and save them in one tar for an air-gapped machine.
// Pulled through a registry mirror when one is given. A digest-pinned reference
// (kind's node image) is saved under its tag too: `docker load` keeps tags, not
// the registry's digests.
import { runProgram } from '../programs.ts';

export interface BundleSource {
  /** Pull `HOST:PORT/path:tag` from this mirror and tag it as the upstream name. */
  mirrorRef?: (image: string) => string;
}

/** kindest/node:v1.37.0@sha256:... -> kindest/node:v1.37.0 (unchanged without a digest or a tag). */
export function tagOnly(image: string): string {
  const at = image.indexOf('@');
  if (at < 0) return image;
  const name = image.slice(0, at);
  return /:[^/]+$/.test(name) ? name : image;
}

export async function bundleImages(images: string[], outFile: string, log: (l: string) => void, src: BundleSource = {}): Promise<string[]> {
  const saved: string[] = [];
  for (const image of images) {
    const present = await runProgram('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
    if (present.exitCode !== 0) {
      const from = src.mirrorRef ? src.mirrorRef(image) : image;
      log(`pull   ${from}`);
      const r = await runProgram('docker', ['pull', from], { all: true });
      if (r.exitCode !== 0) throw new Error(`cannot pull ${from}: ${r.all.trim().split('\n').pop()}`);
      if (from !== image) await runProgram('docker', ['tag', from, tagOnly(image)]);
    } else log(`have   ${image}`);
    const name = tagOnly(image);
    if (name !== image && (await runProgram('docker', ['image', 'inspect', '--format', '{{.Id}}', name])).exitCode !== 0) await runProgram('docker', ['tag', image, name]);
    saved.push(name);
  }
  log(`save   ${saved.length} images -> ${outFile}`);
  const r = await runProgram('docker', ['save', '-o', outFile, ...saved], { all: true });
  if (r.exitCode !== 0) throw new Error(`docker save failed: ${r.all.trim() || `exit ${r.exitCode}`}`);
  return saved;
}
