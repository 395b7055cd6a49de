// Runs the builder's shell scripts (harness/images/*.sh) with live output.
import { execa } from 'execa';
import { repoPath } from '../paths.ts';
import { cannotStartMessage, notStarted, ProgramMissingError } from '../programs.ts';

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
  const why = notStarted(r, 'bash');
  if (why) throw new ProgramMissingError('bash', cannotStartMessage('bash', why));
  if (partial) {
    lines.push(partial);
    if (!opts.capture) opts.onLine?.(partial);
  }
  if (r.exitCode !== 0) {
    const tail = lines.slice(-30).join('\n');
    // Streamed lines were shown already; the error still carries the cause for reports.
    const cause = opts.capture ? `:\n${tail}` : `: ${scriptCause(lines)}`;
    throw new ScriptError(`harness/images/${script} ${args.join(' ')} failed (exit ${r.exitCode ?? r.signal})${cause}`);
  }
  return opts.capture ? String(r.stdout ?? '') : '';
}

/** The builder's own failure lines ("!! FAILED step: ...", "!! command: ...", "!! missing: ..."), else its last line. */
export function scriptCause(lines: string[]): string {
  const marked = lines.filter((l) => /^!! (FAILED step|command|missing):/.test(l)).map((l) => l.slice(3).trim());
  if (marked.length) return marked.join('; ');
  return lines.map((l) => l.trim()).filter(Boolean).pop() ?? 'no output';
}
