// The one door to the Kubernetes API for checks and the runner. Raw JSON objects
// in and out; every failure is a KubeApiError (or ClusterUnreachableError,
// WaitTimeoutError, AbortedError) with a one-line reason and no credentials.
import type { EventRecord } from '../results/model.ts';
import { applyAll, describeObject, FIELD_MANAGER, PATCH_CONTENT_TYPE, type ApplyOptions } from './apply.ts';
import { realClock, type Clock } from './clock.ts';
import { loadKubeconfig, type LoadedKubeconfig } from './config.ts';
import { Discovery } from './discovery.ts';
import { ClusterUnreachableError, KubeApiError } from './errors.ts';
import { EVICTION_ANSWERS, evictionOutcome } from './evict.ts';
import { execInPod, whyNotRunning, type PodLike } from './exec.ts';
import { ApiWatchSource, type Selection } from './list-watch.ts';
import { involvedSelector, logsQuery, toEventRecords, type CoreEvent } from './logs-events.ts';
import { describeForeignAnswer, isApiStatus, oneLine, transportReason, unreachableLine } from './reasons.ts';
import { RestClient } from './rest.ts';
import { describeRef, type ExecResult, type KubeObject, type ListOptions, type ObjectRef } from './types.ts';
import { reflect, waitUntil, type Condition, type WatchEvent } from './wait.ts';

export type { Condition, WatchEvent } from './wait.ts';

export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
  /** For tests: drives wait deadlines and backoffs. */
  clock?: Clock;
}

export interface WaitOptions {
  /** Words for messages: "Deployment web to have 3 ready replicas". */
  description: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface DeleteOptions {
  wait?: boolean;
  timeoutMs?: number;
  gracePeriodSeconds?: number;
  signal?: AbortSignal;
  /** Default Background (dependents are removed by the garbage collector). */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

const DEFAULT_DELETE_WAIT_MS = 120_000;

export class Kube {
  readonly #loaded: LoadedKubeconfig;
  readonly #rest: RestClient;
  readonly #discovery: Discovery;
  readonly #clock: Clock;

  constructor(loaded: LoadedKubeconfig, opts: { clock?: Clock } = {}) {
    this.#loaded = loaded;
    this.#rest = new RestClient(loaded.kc, loaded.contextName, loaded.server);
    const ctx = loaded.kc.getContextObject(loaded.contextName);
    this.#discovery = new Discovery(this.#rest, ctx?.namespace || 'default');
    this.#clock = opts.clock ?? realClock;
  }

  /** Reads the kubeconfig (--kubeconfig, $KUBECONFIG, ~/.kube/config) and picks the context. */
  static fromKubeconfig(opts: KubeOptions = {}): Kube {
    const loaded = loadKubeconfig({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
    });
    return new Kube(loaded, opts.clock ? { clock: opts.clock } : {});
  }

  /** Context and server URL, for messages (never credentials). */
  get contextName(): string {
    return this.#loaded.contextName;
  }
  get server(): string {
    return this.#loaded.server;
  }
  /** The namespace of the context (or "default"): used for namespaced objects given without one. */
  get defaultNamespace(): string {
    return this.#discovery.defaultNamespace;
  }

  /** Server-side apply, field manager "kconform", force conflicts. Stops at the first failure (ApplyError). */
  async apply(objects: KubeObject[], opts?: ApplyOptions): Promise<KubeObject[]> {
    return applyAll(this.#rest, this.#discovery, objects, opts);
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObject = KubeObject>(ref: ObjectRef, opts: { signal?: AbortSignal } = {}): Promise<T | undefined> {
    const { path } = await this.#discovery.path(ref);
    try {
      return await this.#rest.json<T>({ method: 'GET', path, about: ref, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Every object of a kind (all pages); without a namespace, across all namespaces. */
  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts: ListOptions & { signal?: AbortSignal } = {}): Promise<T[]> {
    const { signal, ...sel } = opts;
    const { items } = await new ApiWatchSource<T>(this.#rest, this.#discovery, apiVersion, kind, sel).list(signal);
    return items;
  }

  async create<T extends KubeObject = KubeObject>(object: KubeObject, opts: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const { path, namespace } = await this.#discovery.path({ apiVersion: object.apiVersion, kind: object.kind, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) });
    const body = namespace && !object.metadata.namespace ? { ...object, metadata: { ...object.metadata, namespace } } : object;
    return this.#rest.json<T>({
      method: 'POST',
      path,
      query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', dryRun: opts.dryRun ? 'All' : undefined },
      body,
      about: describeObject(body),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** Patches one object; `merge` (JSON merge patch) by default, which works for every kind. */
  async patch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, type: 'merge' | 'strategic' | 'json' = 'merge', opts: { subresource?: string; signal?: AbortSignal } = {}): Promise<T> {
    const { path } = await this.#discovery.path(ref, opts.subresource ? { subresource: opts.subresource } : {});
    return this.#rest.json<T>({
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER },
      body: patch,
      contentType: PATCH_CONTENT_TYPE[type],
      about: ref,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** Returns false when it was already gone. With wait, returns once the object is gone. */
  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<boolean> {
    const { path, namespace } = await this.#discovery.path(ref);
    let deleted: KubeObject | undefined;
    try {
      const answer = await this.#rest.json<unknown>({
        method: 'DELETE',
        path,
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: opts.propagationPolicy ?? 'Background',
          ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
        },
        about: ref,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      // Most kinds answer with the object (now terminating), some with a Status.
      if (!isApiStatus(answer)) deleted = answer as KubeObject;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404) return false;
      throw err;
    }
    if (opts.wait) {
      const uid = deleted?.metadata?.uid;
      const timeoutMs = opts.timeoutMs ?? DEFAULT_DELETE_WAIT_MS;
      await this.waitFor(
        ref.apiVersion,
        ref.kind,
        { name: ref.name, ...(namespace ? { namespace } : {}) },
        (objs) => {
          // A new object under the same name (a StatefulSet pod) is not the one deleted.
          const still = objs.find((o) => !uid || o.metadata.uid === uid);
          if (!still) return { done: true, observed: 'gone' };
          const fin = Array.isArray(still.metadata['finalizers']) ? (still.metadata['finalizers'] as string[]) : [];
          return {
            done: false,
            observed: `still present${still.metadata.deletionTimestamp ? ' (terminating' : ' (not terminating'}${fin.length > 0 ? `, finalizers: ${fin.join(', ')}` : ''})`,
          };
        },
        { description: `${describeRef({ ...ref, ...(namespace ? { namespace } : {}) })} to be deleted`, timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) },
      );
    }
    return true;
  }

  /** Watch (list + watch from its resourceVersion) until the condition holds; WaitTimeoutError with the last observed state otherwise. */
  async waitFor<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, sel: Selection, cond: Condition<T>, opts: WaitOptions): Promise<T[]> {
    // Resolve the kind first: an unknown kind is an error now, not a timeout later.
    await this.#discovery.resource(apiVersion, kind);
    return waitUntil(new ApiWatchSource<T>(this.#rest, this.#discovery, apiVersion, kind, sel), cond, {
      description: opts.description,
      timeoutMs: opts.timeoutMs,
      clock: this.#clock,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * Streams every change until the signal aborts: first an ADDED for each existing
   * object, then changes as they happen. After a broken or expired watch it re-lists
   * and sends the differences, so the stream stays a faithful mirror.
   */
  async watch<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, sel: Selection, onEvent: (e: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    await this.#discovery.resource(apiVersion, kind);
    await reflect(new ApiWatchSource<T>(this.#rest, this.#discovery, apiVersion, kind, sel), { onEvent: (e) => onEvent(e) }, signal, { clock: this.#clock });
  }

  /** Runs a command in a container (default: the pod's default or first container). */
  async exec(pod: { namespace: string; name: string; container?: string }, command: string[], opts: { timeoutMs?: number; signal?: AbortSignal; stdin?: string } = {}): Promise<ExecResult> {
    const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.name, namespace: pod.namespace };
    const live = await this.get<PodLike>(ref, opts.signal ? { signal: opts.signal } : {});
    if (!live) throw new KubeApiError(`${describeRef(ref)}: not found (cannot exec)`, { status: 404, reason: 'NotFound' });
    const container = pod.container ?? live.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? live.spec?.containers?.[0]?.name ?? '';
    const notRunning = whyNotRunning(live, container);
    if (notRunning) throw new KubeApiError(`${describeRef(ref)}: cannot exec in container ${container}: ${notRunning}`, { reason: 'ContainerNotRunning' });
    return execInPod(this.#rest.kubeConfig, { namespace: pod.namespace, name: pod.name, container }, command, opts, async (err) => {
      const why = transportReason(err);
      if (why) return new ClusterUnreachableError(unreachableLine(this.server, why), { cause: err });
      const msg = err instanceof Error ? err.message : (err as { message?: string })?.message ?? String(err);
      // The WebSocket upgrade is refused with a bare HTTP status: say what it means.
      const http = /Unexpected server response: (\d{3})/.exec(msg);
      if (http?.[1] === '403') {
        return new KubeApiError(`${describeRef(ref)}: forbidden: exec needs get and create on pods/exec`, { status: 403, reason: 'Forbidden', cause: err });
      }
      return new KubeApiError(`${describeRef(ref)}: exec failed: ${oneLine(msg, 200)}`, { cause: err, ...(http ? { status: Number(http[1]) } : {}) });
    });
  }

  async logs(namespace: string, pod: string, opts: { container?: string; tailLines?: number; previous?: boolean; limitBytes?: number; signal?: AbortSignal } = {}): Promise<string> {
    return this.#rest.text({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: logsQuery(opts),
      about: { kind: 'Pod', name: pod, namespace },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** Events in a namespace, optionally about one object, oldest first. */
  async events(namespace: string, involved?: { kind?: string; name?: string; uid?: string }): Promise<EventRecord[]> {
    const fieldSelector = involvedSelector(involved);
    const items = await this.list<KubeObject & CoreEvent>('v1', 'Event', { namespace, ...(fieldSelector ? { fieldSelector } : {}) });
    return toEventRecords(items);
  }

  /** e.g. "v1.37.2". */
  /**
   * The first contact: GET /version within `timeoutMs` (connect, TLS and first byte
   * included), and the answer must be the API server's. Anything else is one line
   * saying what answered (a web page, a 404, silence).
   */
  async probe(timeoutMs: number): Promise<string> {
    const res = await this.#rest.send({ method: 'GET', path: '/version', timeoutMs });
    const ok = res.status >= 200 && res.status <= 299;
    if (res.status === 401) throw await this.#rest.failure(res);
    const text = await this.#rest.readTextUpTo(res, 64 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const version = (body as { gitVersion?: unknown } | undefined)?.gitVersion;
    if (ok && typeof version === 'string') return version;
    // An API server that forbids /version still answers with a Status.
    if (isApiStatus(body)) return 'unknown';
    throw new ClusterUnreachableError(
      `the server at ${this.server} is not a Kubernetes API server: GET /version answered ${describeForeignAnswer(res.status, res.headers.get('content-type'), text)}`,
      { status: res.status, reason: 'NotKubernetes' },
    );
  }

  async serverVersion(): Promise<string> {
    const v = await this.#rest.json<{ gitVersion?: string }>({ method: 'GET', path: '/version' });
    return v.gitVersion ?? 'unknown';
  }

  /**
   * POST pods/eviction: 201/200 evicted, 429 refused by a PodDisruptionBudget (the
   * message says which), 404 no such pod, 500 more than one PDB. Other failures throw.
   */
  async evict(namespace: string, pod: string, opts: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<{ status: number; message: string }> {
    const res = await this.#rest.send({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/eviction`,
      query: { dryRun: opts.dryRun ? 'All' : undefined },
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!EVICTION_ANSWERS.includes(res.status)) throw await this.#rest.failure(res, { kind: 'Pod', name: pod, namespace });
    return evictionOutcome(res.status, await this.#rest.readText(res, opts.signal));
  }

  /** Closes pooled connections; the instance is unusable afterwards. */
  async close(): Promise<void> {
    await this.#rest.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

}
