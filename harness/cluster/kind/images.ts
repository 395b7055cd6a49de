// Images first: before any cluster work, every image the cluster needs is found
// in Docker, built here, pulled (--pull-images), or known to be on a registry
// mirror the nodes pull through. Whatever is left is refused by name, with the
// ways to bring it: never a hang or a late ImagePullBackOff.
import { runProgram } from '../../programs.ts';
import { missingImages } from '../docker.ts';
import { mirrorFor, mirrorHasImage, mirrorRef, type RegistryMirror } from './registry-mirror.ts';

export class MissingImagesError extends Error {
  override readonly name = 'MissingImagesError';
  readonly images: string[];
  readonly reasons: Record<string, string>;
  constructor(images: string[], buildable: boolean, reasons: Record<string, string> = {}, cell?: { cni: string; cri: string }) {
    super(missingImagesMessage(images, buildable, reasons, cell));
    this.images = images;
    this.reasons = reasons;
  }
}

/** The whole message: which images, why each is missing when known, and every way to provide them. */
export function missingImagesMessage(images: string[], buildable: boolean, reasons: Record<string, string> = {}, cell?: { cni: string; cri: string }): string {
  const list = images.map((i) => `  ${i}${reasons[i] ? `  (${reasons[i]})` : ''}`).join('\n');
  if (buildable) {
    return `missing images, not in Docker yet:\n${list}\nbuild them here (no registry needed): npx kconform images build [--cri docker]`;
  }
  const q = images.join(' ');
  return (
    `missing images: not in Docker, and they cannot be built on a machine without a registry:\n${list}\n` +
    'Nothing was created. Provide them in one of these ways, then run again:\n' +
    '  1. bundle them on a machine with registry access, copy the tar here and import it:\n' +
    `       there: npx kconform images bundle --cni ${cell?.cni ?? '<cni>'} --cri ${cell?.cri ?? '<cri>'} -o kconform-images.tar\n` +
    `          (or by hand: for i in ${q}; do docker pull "$i"; done; docker save -o kconform-images.tar ${q})\n` +
    '       here:  npx kconform images import kconform-images.tar\n' +
    '  2. pull through a registry mirror the kind nodes can reach, holding the images under the same paths\n' +
    `     (e.g. ${images[0] ? mirrorRef(images[0], { registry: '*', endpoint: 'http://mirror.example:5000' }) : 'mirror.example:5000/calico/node:TAG'}): --registry-mirror mirror.example:5000\n` +
    '  3. where a registry is reachable from this machine: add --pull-images'
  );
}

export interface ImageSources {
  /** Named in the message, so the bundle command can be copied as it is. */
  cell?: { cni: string; cri: string };
  /** Host Docker pulls what is missing (a registry is reachable). */
  pull?: boolean;
  mirrors?: RegistryMirror[];
  /** Do nodes pull through the mirrors themselves (containerd with certs.d) or must images be in Docker (docker CRI)? */
  nodesPullThroughMirror: boolean;
  /** Images the offline builder makes, and how to run it. */
  buildable: string[];
  build?: (missing: string[]) => Promise<void>;
  onLine: (line: string) => void;
}

export interface ImagePlan {
  /** Images in the host's Docker, to be loaded into the nodes. */
  local: string[];
  /** Images the nodes will pull through a registry mirror (checked present there). */
  viaMirror: string[];
}

export async function ensureImages(needed: string[], nodeImage: string, src: ImageSources): Promise<ImagePlan> {
  let missing = await missingImages(needed);
  const reasons: Record<string, string> = {};
  // Refuse early what nothing here can provide, before spending minutes on a build.
  const unbuildable = () => missing.filter((i) => !src.buildable.includes(i));
  if (missing.length && !src.pull && !src.mirrors?.length && unbuildable().length) {
    throw new MissingImagesError(unbuildable(), false, {}, src.cell);
  }
  const toBuild = missing.filter((i) => src.buildable.includes(i));
  if (toBuild.length && src.build) {
    await src.build(toBuild);
    missing = await missingImages(needed);
  }
  if (missing.length && src.pull) {
    for (const img of missing) {
      src.onLine(`pulling ${img}`);
      const r = await runProgram('docker', ['pull', img], { all: true, timeout: 15 * 60_000 });
      if (r.exitCode !== 0) reasons[img] = `docker pull failed: ${lastLine(r.all)}`;
    }
    missing = await missingImages(missing);
  }
  const viaMirror: string[] = [];
  if (missing.length && src.mirrors?.length) {
    for (const img of [...missing]) {
      const m = mirrorFor(img, src.mirrors);
      if (!m) continue;
      // The node image is started by Docker on the host, never pulled by a node.
      if (src.nodesPullThroughMirror && img !== nodeImage) {
        const has = await mirrorHasImage(img, m);
        if (has.ok) viaMirror.push(img);
        else reasons[img] = has.reason;
        continue;
      }
      const from = mirrorRef(img, m);
      src.onLine(`pulling ${img} through ${m.endpoint}`);
      const r = await runProgram('docker', ['pull', from], { all: true, timeout: 15 * 60_000 });
      if (r.exitCode === 0) await runProgram('docker', ['tag', from, img]);
      else reasons[img] = `docker pull ${from} failed: ${lastLine(r.all)}`;
    }
    missing = (await missingImages(missing)).filter((i) => !viaMirror.includes(i));
  }
  if (missing.length) throw new MissingImagesError(missing, missing.every((i) => src.buildable.includes(i)), reasons, src.cell);
  return { local: needed.filter((i) => !viaMirror.includes(i)), viaMirror };
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? 'no output';
}
