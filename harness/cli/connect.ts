// Opens the cluster from --kubeconfig/--context and reads what reports need.
// Any failure here is one line and exit code 3, never a stack trace.
import { Kube } from '../kube/client.ts';
import { KubeApiError } from '../kube/errors.ts';
import { readClusterInfo } from '../cluster/info.ts';
import type { ClusterInfo } from '../results/model.ts';
import { CliError, EXIT } from './exit-codes.ts';

export async function connect(
  flags: { kubeconfig?: string; context?: string },
  provider: { name: string; cluster: string },
): Promise<{ kube: Kube; cluster: ClusterInfo }> {
  try {
    const kube = Kube.fromKubeconfig({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
    });
    const cluster = await readClusterInfo(kube, provider.name, provider.cluster || kube.contextName);
    return { kube, cluster };
  } catch (err) {
    if (err instanceof KubeApiError) throw new CliError(err.message, EXIT.harnessError);
    throw err;
  }
}
