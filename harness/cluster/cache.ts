import os from 'node:os';
import path from 'node:path';

/** Where builds, binaries and kubeconfigs live: outside the repo, kept between runs. */
export function cacheDir(...parts: string[]): string {
  const root = process.env.KCONFORM_CACHE ?? path.join(os.homedir(), '.cache', 'kconform');
  return path.join(root, ...parts);
}
