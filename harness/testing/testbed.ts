// Makes the testbed usable before the api and cluster tiers: Docker running
// (installed and started by setup-host.sh when missing), every image built, and
// the registry and crane the mirror tests use.
// Returns why not, in one line, when Docker cannot run here at all.
import { dockerAvailable } from '../cluster/docker.ts';
import { runImageScript } from '../images/scripts.ts';

export async function prepareTestbed(log: (line: string) => void): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (process.env.KCONFORM_SKIP_TESTBED) return { ok: false, reason: `KCONFORM_SKIP_TESTBED is set (${process.env.KCONFORM_SKIP_TESTBED})` };
  let docker = await dockerAvailable();
  if (!docker.ok) {
    log(`Docker not usable (${docker.reason}): running harness/images/setup-host.sh`);
    try {
      await runImageScript('setup-host.sh', [], { onLine: log });
    } catch (err) {
      return { ok: false, reason: `Docker cannot run on this machine: ${err instanceof Error ? err.message : String(err)}` };
    }
    docker = await dockerAvailable();
    if (!docker.ok) return { ok: false, reason: `Docker cannot run on this machine: ${docker.reason}` };
  }
  const t0 = Date.now();
  log('building images (cached ones are skipped)');
  await runImageScript('build.sh', [], { onLine: log });
  log(`images ready in ${Math.round((Date.now() - t0) / 1000)}s`);
  // The registry-mirror tests' OCI registry and crane: built here, with progress,
  // so a cold machine does not spend their build inside a test hook's time limit.
  const t1 = Date.now();
  log('building the test registry and crane (cached ones are skipped)');
  await runImageScript('build.sh', ['--only', 'registry,crane'], { onLine: log });
  log(`registry and crane ready in ${Math.round((Date.now() - t1) / 1000)}s`);
  return { ok: true };
}
