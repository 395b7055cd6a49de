// The one wait helper: list, then watch from the list's resourceVersion, keep the
// current set of objects, and evaluate the condition after every change. Watches
// that close are resumed; a 410 Gone or a broken connection re-lists (with a
// backoff). Deadline and abort come from a Clock and an AbortSignal.
import { AbortedError, ClusterUnreachableError, KubeApiError, WaitTimeoutError } from './errors.ts';
import { pause, realClock, type Clock } from './clock.ts';
import { describeApiFailure, type ApiStatus } from './reasons.ts';
import type { KubeObject } from './types.ts';

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

export type RawWatchEvent<T> =
  | WatchEvent<T>
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; status: ApiStatus };

/** Where objects come from: a list, and a watch that streams until the server closes it. */
export interface WatchSource<T> {
  list(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }>;
  /** Resolves when the server ends the watch; rejects when it fails. */
  watch(resourceVersion: string, onEvent: (e: RawWatchEvent<T>) => void, signal: AbortSignal): Promise<void>;
}

/** A predicate over the current set of watched objects; `observed` describes the state in words. */
export type Condition<T> = (objects: T[]) => { done: boolean; observed: string };

export interface ReflectHandlers<T> {
  /** After every (re)list, with the full current set (the differences were sent as events first). */
  onSync?(objects: T[]): void;
  /** `origin` says whether the change came from a watch event or from comparing a (re)list with the mirror. */
  onEvent?(event: WatchEvent<T>, objects: T[], origin: 'watch' | 'list'): void;
  /** A failure the reflector recovers from by itself (retried after a backoff). */
  onRetry?(err: unknown): void;
}

export interface ReflectOptions {
  clock?: Clock;
  /** First and largest pause between attempts after a failure. */
  backoffMs?: { initial: number; max: number };
}

class WatchGone extends Error {}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** Objects in a stable order (namespace, then name) so conditions and messages are deterministic. */
function ordered<T extends KubeObject>(m: Map<string, T>): T[] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** Failures worth retrying: the server went away or is overloaded; anything else is a real answer. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ClusterUnreachableError) return err.reason !== 'KubeconfigInvalid';
  if (err instanceof KubeApiError) {
    const s = err.status ?? 0;
    return s === 429 || s === 500 || s === 502 || s === 503 || s === 504;
  }
  return false;
}

/**
 * Mirrors the objects of `source` until `signal` aborts (then resolves). Rejects on a
 * failure that retrying cannot fix (forbidden, unknown kind, bad selector).
 */
export async function reflect<T extends KubeObject>(
  source: WatchSource<T>,
  handlers: ReflectHandlers<T>,
  signal: AbortSignal,
  opts: ReflectOptions = {},
): Promise<void> {
  const clock = opts.clock ?? realClock;
  const backoff = opts.backoffMs ?? { initial: 250, max: 5_000 };
  let current = new Map<string, T>();
  let delay = backoff.initial;

  while (!signal.aborted) {
    try {
      const listed = await source.list(signal);
      if (signal.aborted) return;
      const next = new Map(listed.items.map((o) => [keyOf(o), o] as const));
      const changes: WatchEvent<T>[] = [];
      for (const [k, o] of current) if (!next.has(k)) changes.push({ type: 'DELETED', object: o });
      for (const [k, o] of next) {
        const before = current.get(k);
        if (!before) changes.push({ type: 'ADDED', object: o });
        else if (before.metadata.resourceVersion !== o.metadata.resourceVersion) changes.push({ type: 'MODIFIED', object: o });
      }
      current = next;
      const snapshot = ordered(current);
      for (const e of changes) handlers.onEvent?.(e, snapshot, 'list');
      handlers.onSync?.(snapshot);
      if (signal.aborted) return;

      let rv = listed.resourceVersion;
      // Resume after each clean close; leave for a re-list on Gone or failure.
      for (;;) {
        await source.watch(
          rv,
          (e) => {
            if (e.type === 'BOOKMARK') {
              rv = e.resourceVersion || rv;
              return;
            }
            if (e.type === 'ERROR') {
              if (e.status.code === 410) throw new WatchGone();
              throw new KubeApiError(describeApiFailure(e.status.code ?? 500, e.status), { status: e.status.code, reason: e.status.reason });
            }
            rv = e.object.metadata.resourceVersion ?? rv;
            if (e.type === 'DELETED') current.delete(keyOf(e.object));
            else current.set(keyOf(e.object), e.object);
            handlers.onEvent?.(e, ordered(current), 'watch');
          },
          signal,
        );
        if (signal.aborted) return;
        delay = backoff.initial;
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof WatchGone) continue;
      if (!isRetryable(err)) throw err;
      handlers.onRetry?.(err);
      await pause(clock, delay, signal);
      delay = Math.min(delay * 2, backoff.max);
    }
  }
}

export interface WaitUntilOptions {
  /** Words for messages: "Deployment web to have 3 ready replicas". */
  description: string;
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: Clock;
  backoffMs?: { initial: number; max: number };
}

/**
 * Resolves with the objects once `cond` holds. Throws WaitTimeoutError (with the
 * condition's last `observed` words) at the deadline, AbortedError when the signal
 * aborts, and the API error when the watch cannot work at all. When the server was
 * unreachable at the deadline, that ClusterUnreachableError is thrown instead.
 */
export function waitUntil<T extends KubeObject>(source: WatchSource<T>, cond: Condition<T>, opts: WaitUntilOptions): Promise<T[]> {
  const clock = opts.clock ?? realClock;
  const started = clock.now();
  if (opts.signal?.aborted) return Promise.reject(new AbortedError(`${opts.description}: interrupted`));

  return new Promise<T[]>((resolve, reject) => {
    const inner = new AbortController();
    let lastObserved = 'nothing yet (the first list did not complete)';
    let failing: unknown;
    let finished = false;

    // Settles once: with the objects, or else with the error, whatever was thrown (a
    // falsy throw included: it must not read as success).
    const finish = (err: unknown, objects?: T[]) => {
      if (finished) return;
      finished = true;
      cancelDeadline();
      opts.signal?.removeEventListener('abort', onAbort);
      inner.abort();
      if (objects) resolve(objects);
      else reject(err);
    };
    // What the wait last saw goes with the abort: a check's deadline reports it.
    const onAbort = () => finish(new AbortedError(`${opts.description}: interrupted`, `${opts.description}: ${lastObserved}`));
    const cancelDeadline = clock.setTimer(() => {
      const waited = clock.now() - started;
      if (failing instanceof ClusterUnreachableError) {
        finish(new ClusterUnreachableError(`${opts.description}: ${failing.message} (still failing after ${Math.round(waited / 1000)}s)`, { status: failing.status, reason: failing.reason, cause: failing }));
        return;
      }
      const trouble = failing instanceof Error ? ` (the watch was failing: ${failing.message})` : '';
      finish(new WaitTimeoutError(opts.description, waited, lastObserved + trouble));
    }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const evaluate = (objects: T[]) => {
      if (finished) return;
      failing = undefined;
      try {
        const r = cond(objects);
        lastObserved = r.observed;
        if (r.done) finish(undefined, objects);
      } catch (err) {
        finish(err);
      }
    };

    reflect(
      source,
      {
        onSync: evaluate,
        // List-born differences are judged once, by onSync, on the whole new set.
        onEvent: (_e, objects, origin) => origin === 'watch' && evaluate(objects),
        onRetry: (err) => (failing = err),
      },
      inner.signal,
      { clock, ...(opts.backoffMs ? { backoffMs: opts.backoffMs } : {}) },
    ).then(
      () => finish(finished ? undefined : new AbortedError(`${opts.description}: interrupted`)),
      (err: unknown) => finish(err),
    );
  });
}
