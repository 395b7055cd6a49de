// Finds the REST resource (plural name, namespaced or not) for an apiVersion and
// kind through the discovery API, and builds object paths. Answers are cached per
// group/version; a kind not found there is looked up once more (a CRD may have
// been installed since).
import { KubeApiError } from './errors.ts';
import type { RestClient } from './rest.ts';

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
  apiVersion: string;
  kind: string;
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

export interface PathTarget {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class Discovery {
  readonly #rest: RestClient;
  readonly #defaultNamespace: string;
  readonly #cache = new Map<string, Promise<ApiResourceList | undefined>>();

  constructor(rest: RestClient, defaultNamespace: string) {
    this.#rest = rest;
    this.#defaultNamespace = defaultNamespace;
  }

  get defaultNamespace(): string {
    return this.#defaultNamespace;
  }

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    for (const fresh of [false, true]) {
      const list = await this.#list(apiVersion, fresh);
      const r = list?.resources.find((x) => x.kind === kind && !x.name.includes('/'));
      if (r) return { plural: r.name, namespaced: r.namespaced, apiVersion, kind };
      if (!list && fresh) break;
    }
    const crd = apiVersion.includes('.') ? ' (is its CustomResourceDefinition installed?)' : '';
    throw new KubeApiError(`the API server at ${this.#rest.server} does not serve kind ${kind} in ${apiVersion}${crd}`, { reason: 'UnknownKind' });
  }

  /**
   * The path of one object (with name), or of a collection (without). A namespaced
   * kind without a namespace means the context's namespace for one object, and all
   * namespaces for a collection when `allNamespaces` is set.
   */
  async path(t: PathTarget, opts: { subresource?: string; allNamespaces?: boolean } = {}): Promise<{ path: string; info: ResourceInfo; namespace?: string }> {
    const info = await this.resource(t.apiVersion, t.kind);
    let path = groupVersionPath(t.apiVersion);
    let namespace: string | undefined;
    if (info.namespaced) {
      namespace = t.namespace || (opts.allNamespaces && !t.name ? undefined : this.#defaultNamespace);
      if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
    }
    path += `/${info.plural}`;
    if (t.name) path += `/${encodeURIComponent(t.name)}`;
    if (opts.subresource) path += `/${opts.subresource}`;
    return { path, info, ...(namespace ? { namespace } : {}) };
  }

  #list(apiVersion: string, fresh: boolean): Promise<ApiResourceList | undefined> {
    const cached = this.#cache.get(apiVersion);
    if (cached && !fresh) return cached;
    const p = this.#rest
      .json<ApiResourceList>({ method: 'GET', path: groupVersionPath(apiVersion) })
      .catch((err: unknown) => {
        if (err instanceof KubeApiError && err.status === 404) return undefined;
        throw err;
      });
    // A failed lookup is not remembered: the next call asks again.
    p.catch(() => this.#cache.delete(apiVersion));
    this.#cache.set(apiVersion, p);
    return p;
  }
}
