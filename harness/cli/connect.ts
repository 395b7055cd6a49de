// Opens the cluster from --kubeconfig/--context and reads what reports need.
// Any failure here is one line, never a stack trace: a bad kubeconfig is the
// user's input (exit 2), a server that does not answer or is not a Kubernetes API
// server is exit 3. The first contact is bounded (KCONFORM_CONNECT_TIMEOUT, 10s by
// default: connect, TLS and the first byte of the answer).
import { ClusterUnreachableError, KubeApiError } from '../kube/errors.ts';
import { kubeconfigProvider } from '../cluster/kubeconfig-provider.ts';
import type { ClusterHandle, ClusterProvider } from '../cluster/provider.ts';
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

/** The provider of --kubeconfig/--context, with the CLI's connect deadline. */
export function kubeconfigProviderOf(flags: { kubeconfig?: string; context?: string }, name?: string): ClusterProvider {
  return kubeconfigProvider({
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(name ? { name } : {}),
    connectTimeoutMs: connectTimeoutMs(),
  });
}

/** An error of opening a cluster as the CLI says it: a bad kubeconfig is exit 2, an API server that refuses is exit 3. */
export function cliErrorOfOpen(err: unknown): unknown {
  if (err instanceof ClusterUnreachableError && err.reason === 'KubeconfigInvalid') return new CliError(err.message, EXIT.badInput);
  if (err instanceof KubeApiError) return new CliError(err.message, EXIT.harnessError);
  return err;
}

/** `cluster up`/`clean`: an open client on the cluster of these flags; the caller disposes it. */
export async function connect(flags: { kubeconfig?: string; context?: string }, name?: string): Promise<ClusterHandle> {
  try {
    return await kubeconfigProviderOf(flags, name).open(new AbortController().signal);
  } catch (err) {
    throw cliErrorOfOpen(err);
  }
}
