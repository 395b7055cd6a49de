// Watch several object sets at once and re-decide on every event, until the
// verdict holds or the time is up. Used where one watch is not enough (nodes
// and pods together). No polling: every decision follows an event.
import type { Kube } from './client.ts';
import type { KubeObject, ListOptions } from './types.ts';
import { AbortedError } from './errors.ts';

export interface Source {
  apiVersion: string;
  kind: string;
  sel?: ListOptions;
}

export interface Settled<V> {
  verdict: V;
  /** True when the verdict held before the time ran out. */
  held: boolean;
  waitedMs: number;
}

export async function settle<V>(
  kube: Kube,
  sources: Source[],
  /** `final`: the verdict cannot change by waiting (a static cause): the wait ends at once. */
  decide: (sets: KubeObject[][]) => { ok: boolean; verdict: V; final?: boolean },
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<Settled<V>> {
  const start = Date.now();
  const caches = sources.map(() => new Map<string, KubeObject>());
  // Initial state from a list, so a healthy cluster decides at once.
  const lists = await Promise.all(sources.map((s) => kube.list(s.apiVersion, s.kind, s.sel ?? {})));
  lists.forEach((items, i) => items.forEach((o) => caches[i]!.set(key(o), o)));
  const current = () => decide(caches.map((c) => [...c.values()]));
  let last = current();
  if (last.ok || last.final || opts.timeoutMs <= 0) return { verdict: last.verdict, held: last.ok, waitedMs: Date.now() - start };
  if (opts.signal.aborted) throw new AbortedError();

  const ctl = new AbortController();
  const stop = AbortSignal.any([ctl.signal, opts.signal]);
  return await new Promise<Settled<V>>((resolve, reject) => {
    const finish = (held: boolean) => {
      clearTimeout(timer);
      ctl.abort();
      resolve({ verdict: last.verdict, held, waitedMs: Date.now() - start });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs);
    opts.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      ctl.abort();
      reject(new AbortedError());
    }, { once: true });
    sources.forEach((s, i) => {
      kube
        .watch(s.apiVersion, s.kind, s.sel ?? {}, (e) => {
          if (e.type === 'DELETED') caches[i]!.delete(key(e.object));
          else caches[i]!.set(key(e.object), e.object);
          last = current();
          if (last.ok) finish(true);
          else if (last.final) finish(false);
        }, stop)
        .catch((err: unknown) => {
          if (!stop.aborted) {
            clearTimeout(timer);
            ctl.abort();
            reject(err);
          }
        });
    });
  });
}

function key(o: KubeObject): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}
