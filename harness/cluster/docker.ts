// The few Docker questions the providers ask, through the docker CLI. A docker
// CLI that cannot be started is named with its install step (ProgramMissingError).
import { execa } from 'execa';
import { cannotStartMessage, notStarted, runProgram } from '../programs.ts';

export async function dockerAvailable(): Promise<{ ok: boolean; reason?: string }> {
  const r = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 20_000 });
  if (r.exitCode === 0) return { ok: true };
  const why = notStarted(r, 'docker');
  if (why) return { ok: false, reason: cannotStartMessage('docker', why) };
  if (r.timedOut) return { ok: false, reason: 'docker info did not answer within 20s' };
  return { ok: false, reason: r.stderr.split('\n').find((l) => l.trim()) ?? `docker info failed (exit ${r.exitCode ?? r.signal})` };
}

/** Which of these image refs are not in the local Docker image store. */
export async function missingImages(refs: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const ref of refs) {
    const r = await runProgram('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]);
    if (r.exitCode !== 0) missing.push(ref);
  }
  return missing;
}

/** Host cgroup version, as Docker reports it ("1" or "2"). */
export async function hostCgroupVersion(): Promise<string> {
  const r = await runProgram('docker', ['info', '--format', '{{.CgroupVersion}}']);
  return r.stdout.trim() || '1';
}
