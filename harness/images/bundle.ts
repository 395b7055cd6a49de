// `kconform images bundle`: on a machine with registry access, pull every image a
// cluster and the checks need and save them in one tar for an air-gapped machine.
import { runProgram } from '../programs.ts';

export async function bundleImages(images: string[], outFile: string, log: (l: string) => void): Promise<void> {
  for (const image of images) {
    const present = await runProgram('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
    if (present.exitCode === 0) {
      log(`have   ${image}`);
      continue;
    }
    log(`pull   ${image}`);
    const r = await runProgram('docker', ['pull', image], { all: true });
    if (r.exitCode !== 0) throw new Error(`cannot pull ${image}: ${r.all.trim().split('\n').pop()}`);
  }
  log(`save   ${images.length} images -> ${outFile}`);
  const r = await runProgram('docker', ['save', '-o', outFile, ...images], { all: true });
  if (r.exitCode !== 0) throw new Error(`docker save failed: ${r.all.trim() || `exit ${r.exitCode}`}`);
}
