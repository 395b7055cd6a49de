// Starts the suite's shared probe client (checks/common/shared-client.ts) while
// the suite is set up. Only the create is awaited: the pod gets Ready while the
// fixtures are applied, and each check waits for it as for its own pods. When
// it cannot be created, checks start clients of their own, as without it.
import type { Kube } from '../kube/client.ts';
import type { SharedClient } from '../checks/types.ts';
import { sharedClientManifest, sharedClientOf } from '../checks/common/shared-client.ts';
import { errorText } from './outcome.ts';

export async function startSharedClient(
  kube: Kube,
  o: { namespace: string; runId: string; image: string; signal: AbortSignal },
  progress: (message: string) => void,
): Promise<SharedClient | undefined> {
  try {
    await kube.create(sharedClientManifest(o), { signal: o.signal });
  } catch (err) {
    if (o.signal.aborted) throw err;
    progress(`the shared client could not be started (${errorText(err)}); each check starts its own`);
    return undefined;
  }
  return sharedClientOf();
}
