// JSON over HTTPS to the API server. Authentication (certs, tokens, exec plugins,
// proxies) comes from @kubernetes/client-node's KubeConfig; the bodies stay raw
// JSON, because the library's typed serializer silently drops fields it does not
// know (a misspelt `contianers`) and turns timestamps into Dates.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import { fetch, type Dispatcher, type Response } from 'undici';
import { dispatcherPlan, http1Dispatcher } from './dispatcher.ts';
import { AbortedError, ClusterUnreachableError, KubeApiError } from './errors.ts';
import { describeApiFailure, describeForeignAnswer, isApiStatus, oneLine, transportReason, unreachableLine, type About } from './reasons.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest {
  method: HttpMethod;
  /** Absolute API path, e.g. `/api/v1/namespaces/x/pods`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** What the request is about, for error messages. */
  about?: About;
  /** Give up after this long without a response; 0 for never (watches). Default 60s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const CLOSE_GRACE_MS = 5_000;

export class RestClient {
  readonly server: string;
  readonly contextName: string;
  readonly #kc: KubeConfig;
  readonly #base: string;
  /** One connection pool per client, made on the first request. */
  #pool: Promise<Dispatcher | undefined> | undefined;
  /** Aborted by close(): ends watches and requests still in flight. */
  readonly #closing = new AbortController();

  constructor(kc: KubeConfig, contextName: string, safeServer: string) {
    this.#kc = kc;
    this.contextName = contextName;
    this.server = safeServer;
    this.#base = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  }

  get kubeConfig(): KubeConfig {
    return this.#kc;
  }

  url(path: string, query?: RestRequest['query']): string {
    const u = new URL(this.#base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Sends the request; returns any HTTP response. Throws only when no response came. */
  async send(req: RestRequest): Promise<Response> {
    const url = this.url(req.path, req.query);
    const ctx = new RequestContext(url, req.method);
    const authFailure = (err: unknown) =>
      new ClusterUnreachableError(
        `cannot authenticate to ${this.server} with context "${this.contextName}": ${oneLine(err instanceof Error ? err.message : String(err), 200)}`,
        { reason: 'AuthConfig', cause: err },
      );
    await this.#kc.applySecurityAuthentication(ctx).catch((err: unknown) => {
      throw authFailure(err);
    });
    if (this.#closing.signal.aborted) throw new AbortedError('the kube client was closed');
    // The library builds a new dispatcher per request (in ctx): keep one pool instead.
    this.#pool ??= dispatcherPlan(this.#kc).then((plan) => http1Dispatcher(plan) ?? ctx.getDispatcher());
    const dispatcher = await this.#pool.catch((err: unknown) => {
      throw authFailure(err);
    });
    const headers: Record<string, string> = { ...ctx.getHeaders(), Accept: req.accept ?? 'application/json' };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    }
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [req.signal, timeout, this.#closing.signal].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await fetch(url, {
        method: req.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(dispatcher ? { dispatcher } : {}),
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      });
    } catch (err) {
      throw this.transportError(err, req.signal, timeout, timeoutMs);
    }
  }

  /** Maps a failure to get any response (or to read one) to the error the caller should see. */
  transportError(err: unknown, signal: AbortSignal | undefined, timeout?: AbortSignal, timeoutMs?: number): Error {
    if (signal?.aborted) return new AbortedError('interrupted');
    if (this.#closing.signal.aborted) return new AbortedError('the kube client was closed');
    if (timeout?.aborted || (err instanceof Error && err.name === 'TimeoutError')) {
      const within = timeoutMs ? ` within ${Math.round(timeoutMs / 1000)}s` : ' in time';
      return new ClusterUnreachableError(unreachableLine(this.server, `no answer${within}`), { reason: 'Timeout', cause: err });
    }
    const why = transportReason(err);
    if (why) return new ClusterUnreachableError(unreachableLine(this.server, why), { reason: 'Unreachable', cause: err });
    return err instanceof Error ? err : new Error(String(err));
  }

  /** The error for a non-2xx response (reads its body). */
  async failure(res: Response, about?: About): Promise<KubeApiError> {
    const text = await res.text().catch(() => '');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: a proxy or load balancer answered.
    }
    const reason = isApiStatus(body) ? body.reason : undefined;
    if (res.status === 401) {
      return new ClusterUnreachableError(
        `the API server at ${this.server} rejected the credentials of context "${this.contextName}" (401 Unauthorized)`,
        { status: 401, reason: reason ?? 'Unauthorized' },
      );
    }
    const line = describeApiFailure(res.status, isApiStatus(body) ? body : text.slice(0, 200), about);
    return new KubeApiError(line, { status: res.status, ...(reason ? { reason } : {}) });
  }

  /** Sends and parses a JSON answer; non-2xx becomes a KubeApiError. */
  async json<T>(req: RestRequest): Promise<T> {
    const res = await this.send(req);
    if (res.status < 200 || res.status > 299) throw await this.failure(res, req.about);
    const text = await this.readText(res, req.signal);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      // A proxy, a web server or a load balancer answered instead of the API server.
      throw new ClusterUnreachableError(
        `the server at ${this.server} is not a Kubernetes API server: ${req.method} ${req.path} answered ${describeForeignAnswer(res.status, res.headers.get('content-type'), text)}`,
        { status: res.status, reason: 'NotKubernetes' },
      );
    }
  }

  /** Sends and returns the text body (pod logs). */
  async text(req: RestRequest): Promise<string> {
    const res = await this.send({ accept: '*/*', ...req });
    if (res.status < 200 || res.status > 299) throw await this.failure(res, req.about);
    return this.readText(res, req.signal);
  }

  /** Reads at most `maxBytes` of a body (a foreign server may send an endless one), then drops the rest. */
  async readTextUpTo(res: Response, maxBytes: number, signal?: AbortSignal): Promise<string> {
    if (!res.body) return '';
    const chunks: Uint8Array[] = [];
    let got = 0;
    const reader = res.body.getReader();
    try {
      while (got < maxBytes) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        got += value.byteLength;
      }
    } catch (err) {
      throw this.transportError(err, signal);
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
  }

  /** Reads a response body; a connection lost meanwhile is a transport error. */
  async readText(res: Response, signal?: AbortSignal): Promise<string> {
    try {
      return await res.text();
    } catch (err) {
      throw this.transportError(err, signal);
    }
  }

  /**
   * Ends every request in flight (they reject with AbortedError), then the pool:
   * gracefully once those aborts have landed, by force if that takes over 5 s.
   */
  async close(): Promise<void> {
    this.#closing.abort();
    const pool = this.#pool;
    this.#pool = undefined;
    const d = await pool?.catch(() => undefined);
    if (!d) return;
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      d.close().then(() => true, () => false),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (!graceful) await d.destroy().catch(() => undefined);
  }
}
