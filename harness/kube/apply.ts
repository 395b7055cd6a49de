// Server-side apply of a list of objects, in order (a Namespace before what lives
// in it), as field manager "kconform" with conflicts forced and strict field
// validation (as kubectl does): a misspelt field is an error, not silently dropped.
import { ApplyError, ClusterUnreachableError, KubeApiError } from './errors.ts';
import type { Discovery } from './discovery.ts';
import type { RestClient } from './rest.ts';
import type { KubeObject } from './types.ts';

export const FIELD_MANAGER = 'kconform';

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ApplyOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Default Strict, as kubectl. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

/**
 * The body to apply: an object read back from the server may carry managedFields
 * (rejected by apply) and a resourceVersion (would turn apply into a stale-write
 * check); neither belongs in a declaration of intent.
 */
export function applyBody(o: KubeObject): KubeObject {
  const { managedFields: _mf, resourceVersion: _rv, ...metadata } = o.metadata;
  return { ...o, metadata };
}

export function describeObject(o: KubeObject): { kind: string; name?: string; namespace?: string } {
  return {
    kind: o.kind,
    ...(o.metadata.name ? { name: o.metadata.name } : {}),
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  };
}

export async function applyAll(rest: RestClient, discovery: Discovery, objects: KubeObject[], opts: ApplyOptions = {}): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  for (const o of objects) {
    try {
      if (!o.apiVersion || !o.kind) throw new KubeApiError(`object ${o.metadata?.name ?? '(no name)'}: apiVersion and kind are required`, { reason: 'Invalid' });
      if (!o.metadata?.name) throw new KubeApiError(`${o.kind} (no name): server-side apply needs metadata.name (generateName cannot be applied)`, { reason: 'Invalid' });
      const { path, namespace } = await discovery.path({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
      const body = applyBody(namespace && !o.metadata.namespace ? { ...o, metadata: { ...o.metadata, namespace } } : o);
      const result = await rest.json<KubeObject>({
        method: 'PATCH',
        path,
        query: {
          fieldManager: FIELD_MANAGER,
          force: true,
          fieldValidation: opts.fieldValidation ?? 'Strict',
          dryRun: opts.dryRun ? 'All' : undefined,
        },
        // JSON is YAML: the apply content type takes it as is.
        body,
        contentType: PATCH_CONTENT_TYPE.apply,
        about: describeObject(body),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      applied.push(result);
    } catch (err) {
      // The reachability class must survive: the runner treats it differently.
      if (err instanceof KubeApiError && !(err instanceof ApplyError) && !(err instanceof ClusterUnreachableError)) {
        throw new ApplyError(err.message, { applied, status: err.status, reason: err.reason, cause: err });
      }
      throw err;
    }
  }
  return applied;
}
