// The few Docker questions the providers ask, through the docker CLI.
import { execa } from 'execa';

export async function dockerAvailable(): Promise<{ ok: boolean; reason?: string }> {
  try {
    const r = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 20_000 });
    if (r.exitCode === 0) return { ok: true };
    return { ok: false, reason: r.stderr.split('\n').find((l) => l.trim()) ?? 'docker info failed' };
  } catch (err) {
    return { ok: false, reason: err instanceof Error && 'code' in err && err.code === 'ENOENT' ? 'the docker CLI is not installed' : String(err) };
  }
}

/** Which of these image refs are not in the local Docker image store. */
export async function missingImages(refs: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const ref of refs) {
    const r = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { reject: false });
    if (r.exitCode !== 0) missing.push(ref);
  }
  return missing;
}

/** Host cgroup version, as Docker reports it ("1" or "2"). */
export async function hostCgroupVersion(): Promise<string> {
  const r = await execa('docker', ['info', '--format', '{{.CgroupVersion}}'], { reject: false });
  return r.stdout.trim() || '1';
}
