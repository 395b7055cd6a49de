// The kconform command as a user runs it: a real process through bin.js, with
// CI=true so the output is plain lines.
import { execa } from 'execa';
import { repoPath } from '../paths.ts';

export interface CliRun {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const r = await execa('node', [repoPath('harness', 'cli', 'bin.js'), ...args], { reject: false, preferLocal: true, cwd: repoPath(), env: { CI: 'true', ...env } });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}
