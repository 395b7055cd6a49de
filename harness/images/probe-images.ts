// The image the probe pods run. Same name offline (built here by harness/images)
// and online (pulled from registry.k8s.io), so fixtures never change.
import { k8sImageSet, readVersions } from './versions.ts';

export function probeImages(k8sVersion?: string): { agnhost: string } {
  const fromEnv = process.env.KCONFORM_AGNHOST_IMAGE;
  if (fromEnv) return { agnhost: fromEnv };
  return { agnhost: k8sImageSet(readVersions(), k8sVersion).agnhost };
}
