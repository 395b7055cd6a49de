// Which cluster a run asks for: flags given on the command line win; a field no
// flag set comes from the suites' `cluster:` blocks when they agree; otherwise
// the default. Suites that disagree are refused with every disagreement named.
import type { ClusterRequest } from '../../suite/schema.ts';

export type ClusterField = keyof ClusterRequest;
export const CLUSTER_FIELDS: ClusterField[] = ['provider', 'nodes', 'cni', 'cri', 'kubernetesVersion', 'podSubnet', 'serviceSubnet'];

/** The flag that sets each field (for messages). */
export const FLAG_OF: Record<ClusterField, string> = {
  provider: '--provider',
  nodes: '--nodes',
  cni: '--cni',
  cri: '--cri',
  kubernetesVersion: '--k8s-version',
  podSubnet: '--pod-subnet',
  serviceSubnet: '--service-subnet',
};

export interface SuiteClusterBlock {
  file: string;
  cluster?: ClusterRequest | undefined;
}

export interface ResolvedRequest {
  request: ClusterRequest;
  /** Where each field came from: "flag", "default" or the suite file. */
  from: Partial<Record<ClusterField, string>>;
}

export class ClusterRequestConflict extends Error {
  override readonly name = 'ClusterRequestConflict';
}

export function resolveClusterRequest(
  flags: { values: ClusterRequest; explicit: ReadonlySet<ClusterField> },
  suites: SuiteClusterBlock[],
  defaults: ClusterRequest,
): ResolvedRequest {
  const request: Record<string, unknown> = {};
  const from: Partial<Record<ClusterField, string>> = {};
  const conflicts: string[] = [];
  for (const field of CLUSTER_FIELDS) {
    if (flags.explicit.has(field) && flags.values[field] !== undefined) {
      request[field] = flags.values[field];
      from[field] = 'flag';
      continue;
    }
    const wants = suites.filter((s) => s.cluster?.[field] !== undefined).map((s) => ({ file: s.file, value: s.cluster![field] }));
    const distinct = [...new Set(wants.map((w) => String(w.value)))];
    if (distinct.length > 1) {
      conflicts.push(`  ${field}: ${wants.map((w) => `${w.file} wants ${String(w.value)}`).join(', ')}`);
      continue;
    }
    if (wants[0]) {
      request[field] = wants[0].value;
      from[field] = wants[0].file;
    } else if (flags.values[field] !== undefined) {
      request[field] = flags.values[field];
      from[field] = 'default';
    } else if (defaults[field] !== undefined) {
      request[field] = defaults[field];
      from[field] = 'default';
    }
  }
  if (conflicts.length) {
    const fields = conflicts.map((c) => c.trim().split(':')[0] as ClusterField);
    throw new ClusterRequestConflict(
      `the suites ask for different clusters:\n${conflicts.join('\n')}\n` +
        `choose with ${fields.map((f) => FLAG_OF[f]).join(', ')} (the flag wins over every suite), or run those suites separately`,
    );
  }
  return { request: request as ClusterRequest, from };
}
