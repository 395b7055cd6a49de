// The `kubeconfig` provider: an existing cluster, named by a kubeconfig file and
// context (default: $KUBECONFIG or ~/.kube/config and its current context). Opening
// is bounded: the first contact (connect, TLS, first byte) and reading the facts
// each get `connectTimeoutMs`. Nothing is created, so dispose only closes the client.
import { Kube } from '../kube/client.ts';
import { loadKubeconfig } from '../kube/config.ts';
import { readClusterFacts } from './info.ts';
import { openedHandle, type ClusterProvider } from './provider.ts';

export interface KubeconfigProviderOptions {
  kubeconfig?: string;
  context?: string;
  /** The cluster's name in reports (default: the context's name). */
  name?: string;
  /** Bound on the first contact: connect, TLS, the first byte of the answer (default 10 s). */
  connectTimeoutMs?: number;
  /** Bound on reading the facts and shape once the server answered (default 60 s). */
  factsTimeoutMs?: number;
}

const DEFAULT_CONNECT_MS = 10_000;
const DEFAULT_FACTS_MS = 60_000;

export function kubeconfigProvider(o: KubeconfigProviderOptions = {}): ClusterProvider {
  const which = { ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), ...(o.context ? { context: o.context } : {}) };
  return {
    name: 'kubeconfig',
    placeholder: { name: o.name || o.context || 'kubeconfig', provider: 'kubeconfig' },
    describe() {
      try {
        const k = loadKubeconfig(which);
        return `context ${k.contextName} (${k.server})`;
      } catch {
        // Opening says why, in its own words.
        return undefined;
      }
    },
    async open(signal) {
      const kube = Kube.fromKubeconfig(which);
      try {
        // The probe has its own deadline and says what answered (or did not) in its own words.
        await kube.probe(o.connectTimeoutMs ?? DEFAULT_CONNECT_MS);
        const facts = readClusterFacts(kube, 'kubeconfig', o.name || kube.contextName);
        const { info, shape } = await within(facts, o.factsTimeoutMs ?? DEFAULT_FACTS_MS, signal, `no answer from ${kube.server}`);
        return openedHandle(kube, { provider: 'kubeconfig', name: info.name, info, shape, ownCluster: false, deletedOnDispose: false, target: `context ${kube.contextName} (${kube.server})` });
      } catch (err) {
        await kube.close().catch(() => undefined);
        throw err;
      }
    },
  };
}

/** `p`, or a rejection after `ms` (or when `signal` aborts) with `what`. */
export function within<T>(p: Promise<T>, ms: number, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} within ${Math.round(ms / 1000)}s`)), ms);
    const onAbort = () => reject(new Error('interrupted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
