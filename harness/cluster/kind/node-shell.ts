// Commands and files on kind nodes, which are Docker containers: `docker exec`
// and `docker cp`. Used for pitfalls (what is in /opt/cni/bin), known fixes
// (copying missing CNI plugins) and loading images into docker-CRI nodes.
import { execa } from 'execa';
import type { NodeShell } from '../cni/recipe.ts';
import { runProgram } from '../../programs.ts';

export function dockerNodeShell(container: string): NodeShell {
  return {
    name: container,
    async run(argv) {
      const r = await runProgram('docker', ['exec', container, ...argv], { timeout: 30_000 });
      return { exitCode: r.exitCode ?? 1, stdout: r.stdout };
    },
  };
}

/** Copies a host file into a node, mode 0755 (CNI plugin binaries). */
export async function copyExecutableToNode(container: string, hostFile: string, nodePath: string): Promise<void> {
  const cp = await runProgram('docker', ['cp', hostFile, `${container}:${nodePath}`], { all: true });
  if (cp.exitCode !== 0) throw new Error(`docker cp ${hostFile} ${container}:${nodePath} failed: ${cp.all.trim()}`);
  await runProgram('docker', ['exec', container, 'chmod', '0755', nodePath]);
}

/**
 * Loads host images into the dockerd inside a docker-CRI node (`kind load`
 * would put them into the node's containerd, which cri-dockerd never reads).
 * Images the node already has are skipped.
 */
export async function dockerLoadIntoNode(container: string, images: string[], onLine: (l: string) => void): Promise<void> {
  const absent: string[] = [];
  for (const img of images) {
    const r = await runProgram('docker', ['exec', container, 'docker', 'image', 'inspect', '--format', '{{.Id}}', img]);
    if (r.exitCode !== 0) absent.push(img);
  }
  if (!absent.length) return;
  onLine(`loading ${absent.join(', ')} into ${container} (docker CRI)`);
  try {
    // Streamed: node images are hundreds of MB; nothing is held in memory.
    await execa('docker', ['save', ...absent], { buffer: false }).pipe('docker', ['exec', '-i', container, 'docker', 'load']);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`loading ${absent.join(', ')} into ${container} failed: ${msg.split('\n').slice(-5).join('\n')}`);
  }
}

/** docker.io/library/x:1 for x:1, docker.io/a/b:1 for a/b:1 (containerd's full names). */
export function normalizeRef(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const full = hasRegistry ? ref : `docker.io/${ref.includes('/') ? ref : `library/${ref}`}`;
  return /[:@][^/]*$/.test(full) ? full : `${full}:latest`;
}

/** Image names in a containerd node's k8s.io namespace (empty when it cannot be read). */
export async function containerdImageRefs(container: string): Promise<Set<string>> {
  const r = await runProgram('docker', ['exec', container, 'ctr', '--namespace', 'k8s.io', 'images', 'list', '--quiet'], { timeout: 30_000 });
  if (r.exitCode !== 0) return new Set();
  return new Set(r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('sha256:')));
}
