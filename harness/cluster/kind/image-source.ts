// --images auto|pull|build: where a kind cluster's images come from.
// - build: the offline builder's images (kconform/node..., built from Go modules
//   and Debian packages when missing);
// - pull: kind's own node image and the CNI's upstream images, pulled (through
//   --registry-mirror when given), adding only what those lack (the CNI plugins
//   flannel needs, copied into the nodes);
// - auto: build when the builder's images are all here already (nothing to
//   fetch), else pull when pull mode's images are all here (an imported
//   bundle) or a registry or the configured mirror answers, else build
//   offline. The choice and its reason are printed.
import { fetch } from 'undici';
import type { RegistryMirror } from './registry-mirror.ts';

export { IMAGES_MODES, type ImagesMode } from './images-mode.ts';
import type { ImagesMode } from './images-mode.ts';

/** Registries asked in auto mode when no mirror is configured: where kind's node image and the CNIs come from. */
export const UPSTREAM_PROBES = ['https://registry-1.docker.io/v2/', 'https://registry.k8s.io/v2/'];

export interface Probe {
  url: string;
  ok: boolean;
  /** "HTTP 401 in 120 ms" or why it did not answer. */
  detail: string;
}

/** Does a registry answer at all? Any HTTP status counts (401 is the usual anonymous answer); `timeoutMs` at most. */
export async function probeRegistry(url: string, timeoutMs = 3000): Promise<Probe> {
  const t0 = Date.now();
  try {
    const r = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await r.body?.cancel().catch(() => {});
    return { url, ok: true, detail: `HTTP ${r.status} in ${Date.now() - t0} ms` };
  } catch (err) {
    const e = err as Error & { cause?: Error & { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { url, ok: false, detail: why };
  }
}

export interface ImageSourceChoice {
  source: 'pull' | 'build';
  /** One line for the terminal: which source and why. */
  why: string;
}

export interface ChooseInput {
  mode: ImagesMode;
  mirrors: RegistryMirror[];
  /** Are the builder's images for this cluster all in Docker already? */
  builtImagesPresent: boolean;
  /** Are pull mode's images (kind's node image, the CNI's) all in Docker already (e.g. imported from a bundle)? */
  pullImagesPresent?: boolean;
  /** A node image the user named (--node-image) is theirs to provide: pull it if missing. */
  userNodeImage?: string;
  probe?: (url: string) => Promise<Probe>;
}

export async function chooseImageSource(i: ChooseInput): Promise<ImageSourceChoice> {
  if (i.mode === 'build') return { source: 'build', why: 'images: build (--images build): the offline builder makes what Docker lacks' };
  if (i.mode === 'pull') return { source: 'pull', why: `images: pull (--images pull)${i.mirrors.length ? ` through ${i.mirrors.map((m) => m.endpoint).join(', ')}` : ''}` };
  if (i.builtImagesPresent && !i.userNodeImage) return { source: 'build', why: 'images: build (auto): the offline-built images are all in Docker already' };
  if (i.pullImagesPresent) return { source: 'pull', why: "images: pull (auto): kind's node image and the CNI's images are all in Docker already; nothing to fetch" };
  const probe = i.probe ?? ((u: string) => probeRegistry(u));
  const urls = i.mirrors.length ? [...new Set(i.mirrors.map((m) => `${m.endpoint}/v2/`))] : UPSTREAM_PROBES;
  const answers = await Promise.all(urls.map(probe));
  const up = answers.find((a) => a.ok);
  if (up) return { source: 'pull', why: `images: pull (auto): ${up.url.replace(/\/v2\/$/, '')} answered (${up.detail})` };
  const said = answers.map((a) => `${a.url.replace(/\/v2\/$/, '')}: ${a.detail}`).join('; ');
  return { source: 'build', why: `images: build offline (auto): no ${i.mirrors.length ? 'mirror' : 'registry'} answered (${said})` };
}
