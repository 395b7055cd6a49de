// The connection pool for API requests. HTTP/1.1 only: undici's HTTP/2 client has
// had a run of teardown races in 2026 (a stream-level 'error' nobody listens to
// crashes the process: nodejs/undici#5586, #5936), and an uncaught ClientDestroyedError
// once ended our test run when a pool was destroyed just after a watch was aborted.
// HTTP/1.1 costs one connection per watch in flight, a few dozen at most for kconform.
import type * as https from 'node:https';
import type { DispatcherOptions, KubeConfig } from '@kubernetes/client-node';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';

/**
 * The library's own plan with HTTP/2 switched off. `undefined` for a SOCKS proxy:
 * the library's connector for it offers no ALPN, so that pool speaks HTTP/1.1 already.
 */
export function http1Dispatcher(plan: DispatcherOptions): Dispatcher | undefined {
  switch (plan.type) {
    case 'agent':
      return new Agent({ connect: { ...plan.connect, allowH2: false } });
    case 'proxy':
      return new ProxyAgent({ uri: plan.uri, requestTls: { ...plan.requestTls, allowH2: false }, connect: plan.connect });
    case 'none':
      return new Agent({ allowH2: false });
    case 'socks':
      return undefined;
  }
}

/** Reads the kubeconfig's TLS settings (files included) into the library's plan. */
export async function dispatcherPlan(kc: KubeConfig): Promise<DispatcherOptions> {
  const tls: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const agentOptions: https.AgentOptions = {};
  for (const key of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const) {
    if (tls[key] !== undefined) (agentOptions as Record<string, unknown>)[key] = tls[key];
  }
  return kc.createDispatcherOptions(kc.getCurrentCluster(), agentOptions);
}
