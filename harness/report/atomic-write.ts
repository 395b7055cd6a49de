// Reports are written whole or not at all: to a temporary file beside the target,
// flushed, then renamed over it. A reader (CI uploading artifacts, a second run's
// --rerun-failed) never sees half a file, and a failed write leaves the old one.
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export class ReportWriteError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot write ${path}: ${explain(code, cause)}`, { cause });
    this.name = 'ReportWriteError';
    this.path = path;
    this.code = code;
  }
}

function explain(code: string | undefined, cause: unknown): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (is the directory writable?)';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EISDIR':
      return 'a directory is in the way';
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}

// mkdir -p one level at a time: node's recursive mkdir can loop for ever where a
// parent exists but refuses children (e.g. under /proc).
async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return;
      throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
  }
  await ensureDir(dirname(dir));
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await ensureDir(dir);
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new ReportWriteError(path, err);
  }
}

/**
 * Atomic writes to one path, one at a time, newest content wins: while a write is
 * under way only the latest request waits behind it (older ones are dropped).
 */
export class LatestWriter {
  readonly path: string;
  #running: Promise<void> | undefined;
  #queued: { data: string; waiters: { resolve(): void; reject(e: unknown): void }[] } | undefined;
  #written = false;

  constructor(path: string) {
    this.path = path;
  }

  /** True once a write has landed. */
  get written(): boolean {
    return this.#written;
  }

  write(data: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#queued) {
        this.#queued.data = data;
        this.#queued.waiters.push({ resolve, reject });
      } else {
        this.#queued = { data, waiters: [{ resolve, reject }] };
      }
      if (!this.#running) this.#running = this.#drain();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queued) {
      const { data, waiters } = this.#queued;
      this.#queued = undefined;
      try {
        await writeFileAtomic(this.path, data);
        this.#written = true;
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.#running = undefined;
  }
}
