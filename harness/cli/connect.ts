// Opens the cluster from --kubeconfig/--context and reads what reports need.
// Any failure here is one line, never a stack trace: a bad kubeconfig is the
// user's input (exit 2), a server that does not answer or is not a Kubernetes API
// server is exit 3. The first contact is bounded (KCONFORM_CONNECT_TIMEOUT, 10s by
// default: connect, TLS and the first byte of the answer).
import { Kube } from '../kube/client.ts';
import { ClusterUnreachableError, KubeApiError } from '../kube/errors.ts';
import { readClusterInfo } from '../cluster/info.ts';
import type { ClusterInfo } from '../results/model.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { durationMs } from './flag-values.ts';

/** 10s for the server, so with kconform's own start-up the whole answer comes within 15s. */
export const DEFAULT_CONNECT_TIMEOUT = '10s';

/** The deadline of the first contact with the API server, from KCONFORM_CONNECT_TIMEOUT. */
export function connectTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.KCONFORM_CONNECT_TIMEOUT;
  if (v === undefined || v === '') return durationMs(DEFAULT_CONNECT_TIMEOUT, 'KCONFORM_CONNECT_TIMEOUT', '10s');
  return durationMs(v, 'KCONFORM_CONNECT_TIMEOUT', '10s', { minMs: 1_000, maxMs: 600_000 });
}

export async function connect(
  flags: { kubeconfig?: string; context?: string },
  provider: { name: string; cluster: string },
): Promise<{ kube: Kube; cluster: ClusterInfo }> {
  const timeoutMs = connectTimeoutMs();
  let kube: Kube | undefined;
  try {
    kube = Kube.fromKubeconfig({
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context ? { context: flags.context } : {}),
    });
    await kube.probe(timeoutMs);
    const cluster = await readClusterInfo(kube, provider.name, provider.cluster || kube.contextName);
    return { kube, cluster };
  } catch (err) {
    await kube?.close().catch(() => undefined);
    if (err instanceof ClusterUnreachableError && err.reason === 'KubeconfigInvalid') throw new CliError(err.message, EXIT.badInput);
    if (err instanceof KubeApiError) throw new CliError(err.message, EXIT.harnessError);
    throw err;
  }
}
