// The kind CLI through execa. Errors carry the action, the cluster and kind's own
// output, so a failed creation shows what kind said.
import { accessSync, constants, existsSync } from 'node:fs';
import { execa, type Options, type ResultPromise } from 'execa';
import { cacheDir } from '../cache.ts';
import { runImageScript } from '../../images/scripts.ts';
import { cannotStartMessage, findOnPath, INSTALL_STEP, notStarted, ProgramMissingError } from '../../programs.ts';

export class KindError extends Error {
  override readonly name = 'KindError';
  readonly output: string;
  constructor(action: string, cluster: string, output: string) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    super(`kind ${action}${cluster ? ` ${cluster}` : ''} failed${tail ? `:\n${tail}` : ' with no output'}`);
    this.output = output;
  }
}

/** kind cannot be started (not installed, not executable): says which and how to get it. */
export class KindMissingError extends ProgramMissingError {
  override readonly name: string = 'KindMissingError';
  constructor(message: string) {
    super('kind', message);
  }
}

const INSTALL_KIND = INSTALL_STEP.kind;

/** The kind binary: $KCONFORM_KIND, the one `kconform images build` made, or kind on PATH. */
export function kindBinary(): string {
  if (process.env.KCONFORM_KIND) return process.env.KCONFORM_KIND;
  const built = cacheDir('bin', 'kind');
  return existsSync(built) ? built : 'kind';
}

/** One answer per environment (KCONFORM_KIND, cache, PATH): asked once per run, built at most once. */
let provided: { key: string; bin: Promise<string> } | undefined;

/**
 * Makes sure a kind binary can be started, building it into the cache (Go
 * module, ~25 s cold) when neither the cache, $KCONFORM_KIND nor PATH has one:
 * a fresh machine has no kind, and the image builder may not have run yet.
 */
export function provideKind(onLine: (line: string) => void = () => {}): Promise<string> {
  const key = [process.env.KCONFORM_KIND, cacheDir(), process.env.PATH].join('\0');
  if (provided?.key === key) return provided.bin;
  const bin = (async () => {
    const env = process.env.KCONFORM_KIND;
    if (env) {
      try {
        accessSync(env, constants.X_OK);
        return env;
      } catch {
        throw new KindMissingError(`KCONFORM_KIND=${env} is not an executable file; unset it, or ${INSTALL_KIND}`);
      }
    }
    const built = cacheDir('bin', 'kind');
    if (existsSync(built)) return built;
    const found = findOnPath('kind');
    if (found) return found;
    onLine('kind is not installed: building it from its Go module (sigs.k8s.io/kind) into the cache');
    try {
      await runImageScript('build.sh', ['--only', 'bin/kind'], { onLine });
    } catch (err) {
      throw new KindMissingError(`kind is not installed and could not be built (${err instanceof Error ? err.message : String(err)}); ${INSTALL_KIND}`);
    }
    if (!existsSync(built)) throw new KindMissingError(`kind was built but ${built} is missing; ${INSTALL_KIND}`);
    return built;
  })();
  const mine = { key, bin };
  provided = mine;
  bin.catch(() => {
    if (provided === mine) provided = undefined;
  });
  return bin;
}

/**
 * A file with execute bits that is no program (a broken download, another
 * architecture) is handed to /bin/sh by execvp, which exits 126 or 127; kind itself
 * never does.
 */
function notAProgram(r: { exitCode?: number | undefined; stderr?: unknown; all?: unknown }): string | undefined {
  if (r.exitCode !== 126 && r.exitCode !== 127) return undefined;
  const said = String(r.stderr || r.all || '').trim().split('\n').pop();
  return `not a program this machine can run${said ? `: ${said}` : ''}`;
}

/** Runs kind; a binary that cannot be started is named with its install step, never "failed" with no reason. */
async function kind(args: string[], opts: Options = {}) {
  const bin = await provideKind();
  const r = await execa(bin, args, { reject: false, ...opts });
  const why = notStarted(r, bin) ?? notAProgram(r);
  if (why) throw new KindMissingError(cannotStartMessage('kind', why, bin));
  return r;
}

export async function kindClusters(): Promise<string[]> {
  const r = await kind(['get', 'clusters']);
  if (r.exitCode !== 0) throw new KindError('get clusters', '', `${String(r.stderr)}`);
  return String(r.stdout).split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('No kind clusters'));
}

export async function kindCreate(
  name: string,
  configPath: string,
  kubeconfigPath: string,
  opts: { onLine(line: string): void; signal: AbortSignal },
): Promise<void> {
  const bin = await provideKind();
  const proc: ResultPromise = execa(bin, ['create', 'cluster', '--name', name, '--config', configPath, '--kubeconfig', kubeconfigPath, '--wait', '0s'], {
    reject: false,
    all: true,
    cancelSignal: opts.signal,
    env: { KIND_EXPERIMENTAL_PROVIDER: 'docker' },
  });
  const lines: string[] = [];
  proc.all?.on('data', (chunk: Buffer) => {
    for (const l of chunk.toString().split(/\r?\n/)) {
      // eslint-disable-next-line no-control-regex -- kind's colour codes are what is removed
      const line = l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim();
      if (line) {
        lines.push(line);
        opts.onLine(line);
      }
    }
  });
  const r = await proc;
  const why = notStarted(r, bin) ?? notAProgram(r);
  if (why) throw new KindMissingError(cannotStartMessage('kind', why, bin));
  if (opts.signal.aborted) throw new KindError('create', name, 'interrupted');
  if (r.exitCode !== 0) throw new KindError('create', name, lines.join('\n'));
}

export async function kindDelete(name: string, kubeconfigPath?: string): Promise<void> {
  const args = ['delete', 'cluster', '--name', name, ...(kubeconfigPath ? ['--kubeconfig', kubeconfigPath] : [])];
  const r = await kind(args, { all: true });
  if (r.exitCode !== 0) throw new KindError('delete', name, String(r.all ?? ''));
}

/** Copies images from the host's Docker into every node (skips those already there). */
export async function kindLoad(name: string, images: string[], onLine: (l: string) => void): Promise<void> {
  const r = await kind(['load', 'docker-image', '--name', name, ...images], { all: true });
  for (const l of String(r.all ?? '').split('\n')) if (l.trim()) onLine(l.trim());
  if (r.exitCode !== 0) throw new KindError('load docker-image', name, String(r.all ?? ''));
}

/** Writes the cluster's kubeconfig to our own file (never the user's ~/.kube/config). */
export async function kindExportKubeconfig(name: string, kubeconfigPath: string): Promise<void> {
  const r = await kind(['export', 'kubeconfig', '--name', name, '--kubeconfig', kubeconfigPath], { all: true });
  if (r.exitCode !== 0) throw new KindError('export kubeconfig', name, String(r.all ?? ''));
}

/** Node container names of a kind cluster (they equal the Kubernetes node names). */
export async function kindNodes(name: string): Promise<string[]> {
  const r = await kind(['get', 'nodes', '--name', name], { all: true });
  if (r.exitCode !== 0) throw new KindError('get nodes', name, String(r.all ?? ''));
  return String(r.stdout).split('\n').map((s) => s.trim()).filter((s) => s && !s.startsWith('No kind nodes'));
}
