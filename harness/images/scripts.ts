// Runs the builder's shell scripts (harness/images/*.sh) with live output.
import { execa } from 'execa';
import { repoPath } from '../paths.ts';

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

export async function runImageScript(
  script: 'setup-host.sh' | 'build.sh' | 'status.sh' | 'import.sh',
  args: string[],
  opts: { onLine?: (line: string) => void; signal?: AbortSignal; capture?: boolean } = {},
): Promise<string> {
  const file = repoPath('harness', 'images', script);
  const proc = execa('bash', [file, ...args], { reject: false, all: true, ...(opts.signal ? { cancelSignal: opts.signal } : {}) });
  const lines: string[] = [];
  let partial = '';
  proc.all?.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      if (!opts.capture) opts.onLine?.(l);
    }
  });
  const r = await proc;
  if (partial) {
    lines.push(partial);
    if (!opts.capture) opts.onLine?.(partial);
  }
  if (r.exitCode !== 0) {
    const tail = lines.slice(-30).join('\n');
    throw new ScriptError(`harness/images/${script} ${args.join(' ')} failed (exit ${r.exitCode ?? r.signal})${opts.capture ? `:\n${tail}` : ''}`);
  }
  return opts.capture ? String(r.stdout ?? '') : '';
}
