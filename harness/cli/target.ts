// The one line that says which cluster a run is about to test, before any
// request: the kind cluster kconform made, or the kubeconfig context and server.
import { loadKubeconfig } from '../kube/config.ts';

/** undefined when the kubeconfig cannot be read (connect then says why, in its own words). */
export function describeTarget(flags: { kubeconfig?: string; context?: string }, provider: { name: string; cluster: string }): string | undefined {
  if (provider.name === 'kind') return `kind cluster ${provider.cluster} (created by kconform)`;
  try {
    const k = loadKubeconfig({ ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context ? { context: flags.context } : {}) });
    return `context ${k.contextName} (${k.server})`;
  } catch {
    return undefined;
  }
}
