// Names and labels of the distribution check's objects, shared by the check and
// by tests that need to add a pod the Service selects (an imposter or a silent
// endpoint). Endpoints are bare pods with stable names (<base>-0..K-1) rather
// than a Deployment: the endpoint set must stay fixed while it is measured, and
// stable names make messages ("endpoint web-2 answered 0/300") and tests exact.
import { LABEL_CHECK, LABEL_ROLE, probeBaseName, probeLabels } from '../common/probe-manifests.ts';

export interface DistributionNames {
  base: string;
  service: string;
  client: string;
  endpoints: string[];
}

export function distributionNames(checkName: string, replicas: number, attempt = 1): DistributionNames {
  const base = probeBaseName(checkName, attempt);
  return { base, service: base, client: `${base}-client`, endpoints: Array.from({ length: replicas }, (_, i) => `${base}-${i}`) };
}

/** The labels the Service selects. */
export function endpointSelector(base: string): Record<string, string> {
  return { [LABEL_CHECK]: base, [LABEL_ROLE]: 'endpoint' };
}

export function endpointLabels(base: string): Record<string, string> {
  return probeLabels(base, 'endpoint');
}
