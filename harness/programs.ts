// The external programs kconform starts, and how to get each one. A program
// that cannot be started (not installed, not executable) is named in one line
// with its install step, never reported as "X failed" with an empty reason.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { execa, type Options, type Result } from 'execa';

/** One install step per program kconform (or its image builder) starts. */
export const INSTALL_STEP = {
  docker: "as root: npx kconform setup (installs Debian's docker.io and starts dockerd); elsewhere Docker Engine from https://docs.docker.com/engine/install/",
  bash: 'apt-get install -y bash',
  kind: 'npx kconform images build --only kind (needs Go), or put kind v0.33+ on PATH (https://kind.sigs.k8s.io), or set KCONFORM_KIND to its path',
  go: 'install Go 1.26 or newer (https://go.dev/dl; the image builder compiles kind, Kubernetes and the CNI from Go modules)',
  debootstrap: 'apt-get install -y debootstrap (or, as root: npx kconform setup)',
  'apt-get': 'the offline image builder takes Debian packages through apt-get: run it on Debian or Ubuntu, or bring images with npx kconform images import',
  chromium: 'apt-get install -y chromium (Debian\'s; no browser is downloaded)',
} as const;

export type Program = keyof typeof INSTALL_STEP;

export class ProgramMissingError extends Error {
  override readonly name: string = 'ProgramMissingError';
  readonly program: string;
  constructor(program: string, message: string) {
    super(message);
    this.program = program;
  }
}

/** "cannot start docker (not found on PATH): <install step>". */
export function cannotStartMessage(program: Program, why: string, bin?: string): string {
  return `cannot start ${program} (${bin && bin !== program ? `${bin}: ` : ''}${why}); ${INSTALL_STEP[program]}`;
}

/** Why a spawn failed, in words, from its error code. */
export function spawnFailureWords(code: string | undefined, onPathLookup: boolean): string {
  if (code === 'ENOENT') return onPathLookup ? 'not found on PATH' : 'no such file';
  if (code === 'EACCES') return 'not executable (permission denied)';
  if (code === 'ENOEXEC') return 'not a program this machine can run';
  return code ?? 'could not be started';
}

/**
 * The reason a finished execa call never ran its program, or undefined when it
 * ran (whatever its exit code). execa reports a spawn error with no exit code.
 */
export function notStarted(r: Pick<Result, 'failed' | 'exitCode' | 'isCanceled' | 'isTerminated'> & { code?: string }, bin: string): string | undefined {
  if (!r.failed || r.exitCode !== undefined || r.isCanceled || r.isTerminated) return undefined;
  const code = (r as { code?: string }).code;
  if (code === undefined) return undefined;
  return spawnFailureWords(code, !bin.includes('/'));
}

/** The full path of `cmd` on PATH, or undefined. */
export function findOnPath(cmd: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, cmd);
    try {
      accessSync(f, constants.X_OK);
      return f;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface ProgramResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved (when `all` was asked for), else empty. */
  all: string;
  timedOut: boolean;
}

/**
 * Runs a program without throwing on a non-zero exit (the caller reads the
 * result), but throws ProgramMissingError, naming the install step, when it
 * could not be started at all.
 */
export async function runProgram(program: Program, args: string[], opts: Pick<Options, 'timeout' | 'all' | 'env' | 'cancelSignal' | 'cwd' | 'input'> = {}, bin: string = program): Promise<ProgramResult> {
  const r = await execa(bin, args, { ...opts, reject: false });
  const why = notStarted(r, bin);
  if (why) throw new ProgramMissingError(program, cannotStartMessage(program, why, bin));
  return { exitCode: r.exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), all: String(r.all ?? ''), timedOut: r.timedOut };
}
