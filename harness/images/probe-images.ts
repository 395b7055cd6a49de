// The image the probe pods run. Same name offline (built here by harness/images)
// and online (pulled from registry.k8s.io), so fixtures never change.
import { readVersions } from './versions.ts';

export function probeImages(): { agnhost: string } {
  const fromEnv = process.env.KCONFORM_AGNHOST_IMAGE;
  if (fromEnv) return { agnhost: fromEnv };
  const v = readVersions();
  return { agnhost: `registry.k8s.io/e2e-test-images/agnhost:${v.AGNHOST_VERSION ?? '2.56'}` };
}
