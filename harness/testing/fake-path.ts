// A PATH that has every program of the real one except some: how a machine
// without docker, go or kind looks to kconform, without uninstalling anything.
import { mkdtempSync, readdirSync, symlinkSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FakePath {
  /** The folder to use as PATH. */
  dir: string;
  /** Adds a shell script named `name` to the folder. */
  script(name: string, body: string, mode?: number): string;
}

export function pathWithout(excluded: string[], realPath = process.env.PATH ?? ''): FakePath {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kconform-fakepath-'));
  for (const d of realPath.split(path.delimiter)) {
    if (!d || !existsSync(d)) continue;
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) {
      if (excluded.includes(n) || existsSync(path.join(dir, n))) continue;
      try {
        symlinkSync(path.join(d, n), path.join(dir, n));
      } catch {
        // a name we cannot link: not needed
      }
    }
  }
  return {
    dir,
    script(name, body, mode = 0o755) {
      const f = path.join(dir, name);
      writeFileSync(f, `#!/bin/sh\n${body}\n`);
      chmodSync(f, mode);
      return f;
    },
  };
}
