// `kconform images bundle`: on a machine with registry access, pull every image a
// cluster and the checks need and save them in one tar for an air-gapped machine.
import { execa } from 'execa';

export async function bundleImages(images: string[], outFile: string, log: (l: string) => void): Promise<void> {
  for (const image of images) {
    const present = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { reject: false });
    if (present.exitCode === 0) {
      log(`have   ${image}`);
      continue;
    }
    log(`pull   ${image}`);
    const r = await execa('docker', ['pull', image], { reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`cannot pull ${image}: ${String(r.all ?? '').trim().split('\n').pop()}`);
  }
  log(`save   ${images.length} images -> ${outFile}`);
  const r = await execa('docker', ['save', '-o', outFile, ...images], { reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`docker save failed: ${String(r.all ?? '').trim()}`);
}
