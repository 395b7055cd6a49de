import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { AbortedError, ClusterUnreachableError, KubeApiError, WaitTimeoutError } from './errors.ts';
import type { KubeObject } from './types.ts';
import { reflect, waitUntil, type Condition, type RawWatchEvent, type WatchEvent, type WatchSource } from './wait.ts';

const cm = (name: string, rv: number, data: Record<string, string> = {}): KubeObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'n', resourceVersion: String(rv) },
  data,
});

/** A scripted source: the test pushes events into the open watch and decides how it ends. */
class FakeSource implements WatchSource<KubeObject> {
  items: KubeObject[] = [];
  rv = 1;
  lists = 0;
  watches: string[] = [];
  listError: Error | undefined;
  #open: { emit: (e: RawWatchEvent<KubeObject>) => void; end: (err?: Error) => void } | undefined;

  async list() {
    this.lists++;
    if (this.listError) throw this.listError;
    return { items: [...this.items], resourceVersion: String(this.rv) };
  }

  watch(resourceVersion: string, onEvent: (e: RawWatchEvent<KubeObject>) => void, signal: AbortSignal): Promise<void> {
    this.watches.push(resourceVersion);
    return new Promise<void>((resolve, reject) => {
      const end = (err?: Error) => {
        this.#open = undefined;
        if (err) reject(err);
        else resolve();
      };
      signal.addEventListener('abort', () => end(), { once: true });
      this.#open = {
        emit: (e) => {
          try {
            onEvent(e);
          } catch (err) {
            end(err as Error);
          }
        },
        end,
      };
    });
  }

  get watching(): boolean {
    return this.#open !== undefined;
  }
  emit(e: RawWatchEvent<KubeObject>): void {
    if (!this.#open) throw new Error('no open watch');
    this.#open.emit(e);
  }
  close(err?: Error): void {
    this.#open?.end(err);
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

const hasKey = (key: string): Condition<KubeObject> => (objs) => {
  const found = objs.find((o) => (o as { data?: Record<string, string> }).data?.[key] !== undefined);
  return { done: !!found, observed: `${objs.length} object(s), ${found ? 'with' : 'none with'} ${key}` };
};

describe('waitUntil', () => {
  it('resolves when a change made after the wait began satisfies the condition', async () => {
    const src = new FakeSource();
    src.items = [cm('a', 1)];
    const clock = new ManualClock();
    const p = waitUntil(src, hasKey('ready'), { description: 'ConfigMap a to be ready', timeoutMs: 10_000, clock });
    await flush();
    expect(src.watches).toEqual(['1']);
    src.emit({ type: 'MODIFIED', object: cm('a', 2, { ready: 'yes' }) });
    const objs = await p;
    expect(objs.map((o) => o.metadata.resourceVersion)).toEqual(['2']);
    expect(src.watching).toBe(false); // the watch was stopped
    expect(clock.pendingTimers).toBe(0); // and the deadline cancelled
  });

  it('resolves at once when the list already satisfies the condition', async () => {
    const src = new FakeSource();
    src.items = [cm('a', 1, { ready: 'y' })];
    await expect(waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 1000, clock: new ManualClock() })).resolves.toHaveLength(1);
    expect(src.watches).toEqual([]);
  });

  it('times out with the last observed state in the message', async () => {
    const src = new FakeSource();
    src.items = [cm('a', 1)];
    const clock = new ManualClock();
    const p = waitUntil(src, hasKey('ready'), { description: 'ConfigMap a to be ready', timeoutMs: 30_000, clock });
    const settled = p.catch((e: unknown) => e);
    await flush();
    src.emit({ type: 'ADDED', object: cm('b', 2) });
    await clock.advance(30_000);
    const err = await settled;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).message).toBe('ConfigMap a to be ready: not reached after 30s; last seen: 2 object(s), none with ready');
    expect((err as WaitTimeoutError).lastObserved).toBe('2 object(s), none with ready');
    expect(src.watching).toBe(false);
  });

  it('throws AbortedError when the signal aborts, and stops watching', async () => {
    const src = new FakeSource();
    const ac = new AbortController();
    const clock = new ManualClock();
    const p = waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 60_000, signal: ac.signal, clock });
    await flush();
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(AbortedError);
    expect(src.watching).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await expect(waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 1, signal: ac.signal, clock })).rejects.toBeInstanceOf(AbortedError);
  });

  it('resumes a watch the server closed from the last resourceVersion seen', async () => {
    const src = new FakeSource();
    src.rv = 5;
    const p = waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 60_000, clock: new ManualClock() });
    await flush();
    src.emit({ type: 'ADDED', object: cm('a', 7) });
    src.emit({ type: 'BOOKMARK', resourceVersion: '9' });
    src.close();
    await flush();
    expect(src.watches).toEqual(['5', '9']);
    expect(src.lists).toBe(1);
    src.emit({ type: 'MODIFIED', object: cm('a', 10, { ready: '1' }) });
    await expect(p).resolves.toHaveLength(1);
  });

  it('re-lists after 410 Gone and sees deletions that happened meanwhile', async () => {
    const src = new FakeSource();
    src.items = [cm('a', 1), cm('b', 1)];
    const gone: Condition<KubeObject> = (objs) => ({ done: objs.every((o) => o.metadata.name !== 'b'), observed: objs.map((o) => o.metadata.name).join(',') });
    const p = waitUntil(src, gone, { description: 'b gone', timeoutMs: 60_000, clock: new ManualClock() });
    await flush();
    src.items = [cm('a', 3)];
    src.rv = 3;
    src.emit({ type: 'ERROR', status: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
    await expect(p).resolves.toEqual([cm('a', 3)]);
    expect(src.lists).toBe(2);
  });

  it('retries a failing server with a backoff; an unreachable server at the deadline is reported as such', async () => {
    const src = new FakeSource();
    const clock = new ManualClock();
    const p = waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 10_000, clock, backoffMs: { initial: 1000, max: 4000 } });
    const settled = p.catch((e: unknown) => e);
    await flush();
    src.listError = new ClusterUnreachableError('cannot reach the API server at https://h:6443: connection refused', { reason: 'Unreachable' });
    src.close(new ClusterUnreachableError('cannot reach the API server at https://h:6443: connection reset by the server', { reason: 'Unreachable' }));
    await clock.advance(1000 + 2000 + 4000); // three re-list attempts, all refused
    expect(src.lists).toBe(4);
    await clock.advance(3000);
    const err = await settled;
    expect(err).toBeInstanceOf(ClusterUnreachableError);
    expect((err as Error).message).toBe('x: cannot reach the API server at https://h:6443: connection refused (still failing after 10s)');
  });

  it('recovers when the server comes back', async () => {
    const src = new FakeSource();
    const clock = new ManualClock();
    const p = waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 60_000, clock, backoffMs: { initial: 500, max: 500 } });
    await flush();
    src.listError = new KubeApiError('etcd timeout', { status: 503 });
    src.close(new KubeApiError('stream error', { status: 500 }));
    await clock.advance(500);
    src.listError = undefined;
    src.items = [cm('a', 9, { ready: 'y' })];
    await clock.advance(500);
    await expect(p).resolves.toHaveLength(1);
  });

  it('fails at once on an error retrying cannot fix', async () => {
    const src = new FakeSource();
    src.listError = new KubeApiError('forbidden: User "student" cannot list configmaps in namespace "n"', { status: 403, reason: 'Forbidden' });
    await expect(waitUntil(src, hasKey('ready'), { description: 'x', timeoutMs: 60_000, clock: new ManualClock() })).rejects.toThrow(/^forbidden: /);
  });

  it('passes on an exception thrown by the condition', async () => {
    const src = new FakeSource();
    const bad: Condition<KubeObject> = () => {
      throw new Error('condition bug');
    };
    await expect(waitUntil(src, bad, { description: 'x', timeoutMs: 1000, clock: new ManualClock() })).rejects.toThrow('condition bug');
  });

  it('gives the condition objects in namespace/name order', async () => {
    const src = new FakeSource();
    src.items = [cm('b', 1), cm('a', 1)];
    const seen: string[][] = [];
    const p = waitUntil(src, (objs) => {
      seen.push(objs.map((o) => o.metadata.name ?? ''));
      return { done: seen.length > 1, observed: '' };
    }, { description: 'x', timeoutMs: 1000, clock: new ManualClock() });
    await flush();
    src.emit({ type: 'ADDED', object: cm('0', 2) });
    await p;
    expect(seen.at(-1)).toEqual(['0', 'a', 'b']);
  });
});

describe('reflect', () => {
  it('mirrors the source as events: existing objects first, then changes', async () => {
    const src = new FakeSource();
    src.items = [cm('a', 1)];
    const events: string[] = [];
    const ac = new AbortController();
    const done = reflect(src, { onEvent: (e: WatchEvent<KubeObject>) => events.push(`${e.type} ${e.object.metadata.name}`) }, ac.signal, { clock: new ManualClock() });
    await flush();
    src.emit({ type: 'ADDED', object: cm('b', 2) });
    src.emit({ type: 'DELETED', object: cm('a', 3) });
    ac.abort();
    await done;
    expect(events).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
  });

  it('after a re-list sends only the differences', async () => {
    const src = new FakeSource();
    src.items = [cm('a', 1), cm('b', 1)];
    const events: string[] = [];
    const ac = new AbortController();
    const done = reflect(src, { onEvent: (e) => events.push(`${e.type} ${e.object.metadata.name}`) }, ac.signal, { clock: new ManualClock() });
    await flush();
    src.items = [cm('a', 1), cm('b', 4), cm('c', 4)];
    src.emit({ type: 'ERROR', status: { code: 410 } });
    await flush();
    ac.abort();
    await done;
    expect(events).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b', 'ADDED c']);
  });
});
