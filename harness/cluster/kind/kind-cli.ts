// The kind CLI through execa. Errors carry the action, the cluster and kind's own
// output, so a failed creation shows what kind said.
import { existsSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { cacheDir } from '../cache.ts';

export class KindError extends Error {
  override readonly name = 'KindError';
  readonly output: string;
  constructor(action: string, cluster: string, output: string) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    super(`kind ${action} ${cluster} failed${tail ? `:\n${tail}` : ''}`);
    this.output = output;
  }
}

/** The kind binary: $KCONFORM_KIND, the one `kconform images build` made, or kind on PATH. */
export function kindBinary(): string {
  if (process.env.KCONFORM_KIND) return process.env.KCONFORM_KIND;
  const built = cacheDir('bin', 'kind');
  return existsSync(built) ? built : 'kind';
}

export async function kindClusters(): Promise<string[]> {
  const r = await execa(kindBinary(), ['get', 'clusters'], { reject: false });
  if (r.exitCode !== 0) throw new KindError('get clusters', '', `${r.stderr}`);
  return r.stdout.split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('No kind clusters'));
}

export async function kindCreate(
  name: string,
  configPath: string,
  kubeconfigPath: string,
  opts: { onLine(line: string): void; signal: AbortSignal },
): Promise<void> {
  const proc: ResultPromise = execa(kindBinary(), ['create', 'cluster', '--name', name, '--config', configPath, '--kubeconfig', kubeconfigPath, '--wait', '0s'], {
    reject: false,
    all: true,
    cancelSignal: opts.signal,
    env: { KIND_EXPERIMENTAL_PROVIDER: 'docker' },
  });
  const lines: string[] = [];
  proc.all?.on('data', (chunk: Buffer) => {
    for (const l of chunk.toString().split(/\r?\n/)) {
      const line = l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim();
      if (line) {
        lines.push(line);
        opts.onLine(line);
      }
    }
  });
  const r = await proc;
  if (opts.signal.aborted) throw new KindError('create', name, 'interrupted');
  if (r.exitCode !== 0) throw new KindError('create', name, lines.join('\n'));
}

export async function kindDelete(name: string, kubeconfigPath?: string): Promise<void> {
  const args = ['delete', 'cluster', '--name', name, ...(kubeconfigPath ? ['--kubeconfig', kubeconfigPath] : [])];
  const r = await execa(kindBinary(), args, { reject: false, all: true });
  if (r.exitCode !== 0) throw new KindError('delete', name, String(r.all ?? ''));
}

/** Copies images from the host's Docker into every node (skips those already there). */
export async function kindLoad(name: string, images: string[], onLine: (l: string) => void): Promise<void> {
  const r = await execa(kindBinary(), ['load', 'docker-image', '--name', name, ...images], { reject: false, all: true });
  for (const l of String(r.all ?? '').split('\n')) if (l.trim()) onLine(l.trim());
  if (r.exitCode !== 0) throw new KindError('load docker-image', name, String(r.all ?? ''));
}

/** Writes the cluster's kubeconfig to our own file (never the user's ~/.kube/config). */
export async function kindExportKubeconfig(name: string, kubeconfigPath: string): Promise<void> {
  const r = await execa(kindBinary(), ['export', 'kubeconfig', '--name', name, '--kubeconfig', kubeconfigPath], { reject: false, all: true });
  if (r.exitCode !== 0) throw new KindError('export kubeconfig', name, String(r.all ?? ''));
}

/** Node container names of a kind cluster (they equal the Kubernetes node names). */
export async function kindNodes(name: string): Promise<string[]> {
  const r = await execa(kindBinary(), ['get', 'nodes', '--name', name], { reject: false, all: true });
  if (r.exitCode !== 0) throw new KindError('get nodes', name, String(r.all ?? ''));
  return r.stdout.split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('No kind nodes'));
}
