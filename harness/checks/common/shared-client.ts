// The suite's shared probe client: one idle agnhost pod per suite namespace,
// started by the runner while the suite is set up, so checks that only need
// "a pod to run curl or dig in" find it Ready instead of starting their own.
// It carries this run's node-change tolerations and is pinned to no node, so
// a drain or test taint beside it leaves it alone. Checks whose proof is a
// steady request loop (rollout, serviceDistribution, eviction) keep a client of
// their own: loops of several checks in one pod slow each other down. Checks
// that place clients on nodes (podNetwork, nodePort) keep theirs too.
import type { CheckContext, SharedClient } from '../types.ts';
import type { KubeObject } from '../../kube/types.ts';
import { clientPod, LABEL_CHECK, LABEL_ROLE, probeLabels } from './probe-manifests.ts';
import { nodeChangeTolerations } from './node-change-tolerations.ts';
import { createTracked, waitPodsReady, type PodsReady } from './probe-workload.ts';

/**
 * The check label of the shared client. It holds a dot, which probeBaseName
 * never yields, so no check's selector ever picks it up.
 */
export const SHARED_CLIENT_LABEL = 'suite.shared';
export const SHARED_CLIENT_POD = 'kconform.shared-client';

export function sharedClientOf(): SharedClient {
  return { pod: SHARED_CLIENT_POD, labelSelector: `${LABEL_CHECK}=${SHARED_CLIENT_LABEL},${LABEL_ROLE}=client` };
}

export function sharedClientManifest(o: { namespace: string; runId: string; image: string }): KubeObject {
  return clientPod({ name: SHARED_CLIENT_POD, namespace: o.namespace, image: o.image, labels: probeLabels(SHARED_CLIENT_LABEL, 'client'), tolerations: nodeChangeTolerations(o.runId) });
}

export interface ProbeClient {
  pod: string;
  /** The suite's shared client, when it is that one (not created, not deleted by this check). */
  shared?: SharedClient;
}

/**
 * The check's client: the suite's shared one when the runner started it, else
 * a pod of the check's own (tests that build a context without a runner).
 */
export async function startProbeClient(ctx: CheckContext, own: { name: string; labels: Record<string, string>; tolerations?: Record<string, unknown>[] }): Promise<ProbeClient> {
  if (ctx.sharedClient) return { pod: ctx.sharedClient.pod, shared: ctx.sharedClient };
  ctx.log(`starting client pod ${own.name}`);
  await createTracked(ctx, clientPod({ name: own.name, namespace: ctx.namespace, image: ctx.images.agnhost, labels: own.labels, ...(own.tolerations ? { tolerations: own.tolerations } : {}) }));
  return { pod: own.name };
}

/**
 * Waits until the check's own pods (`names`, under `labelSelector`) and its
 * client, if any, are Ready, as waitPodsReady does for one selector. A shared
 * client that is not Ready is named as the suite's.
 */
export async function waitWithClient(ctx: CheckContext, names: string[], labelSelector: string, client: ProbeClient | undefined, timeoutMs: number): Promise<PodsReady> {
  if (!client?.shared) return waitPodsReady(ctx, client ? [...names, client.pod] : names, labelSelector, timeoutMs);
  const none: PodsReady = { pods: new Map(), notReady: [], waitedMs: 0 };
  const [own, shared] = await Promise.all([
    names.length > 0 ? waitPodsReady(ctx, names, labelSelector, timeoutMs) : Promise.resolve(none),
    waitPodsReady(ctx, [client.pod], client.shared.labelSelector, timeoutMs),
  ]);
  return {
    pods: new Map([...own.pods, ...shared.pods]),
    notReady: [...own.notReady, ...shared.notReady.map((p) => ({ name: p.name, state: `${p.state} (the suite's shared client)` }))],
    waitedMs: Math.max(own.waitedMs, shared.waitedMs),
  };
}
