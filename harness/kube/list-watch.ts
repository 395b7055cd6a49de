// List (all pages) and watch (a newline-delimited JSON stream) of one kind with
// label/field selectors: the WatchSource behind waits and raw watches.
import type { Discovery } from './discovery.ts';
import type { About } from './reasons.ts';
import type { RestClient } from './rest.ts';
import type { KubeObject, ListOptions } from './types.ts';
import type { RawWatchEvent, WatchSource } from './wait.ts';

export type Selection = ListOptions & { name?: string };

/** A name becomes a `metadata.name=` field selector, joined to any other. */
export function fieldSelectorFor(sel: Selection): string | undefined {
  const parts = [sel.fieldSelector, sel.name ? `metadata.name=${sel.name}` : undefined].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(',') : undefined;
}

interface ListBody<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

const PAGE = 500;

/** List items lack apiVersion and kind; put them back so refOf() works on them. */
function withType<T extends KubeObject>(o: T, apiVersion: string, kind: string): T {
  if (o.apiVersion && o.kind) return o;
  return { ...o, apiVersion: o.apiVersion || apiVersion, kind: o.kind || kind };
}

export class ApiWatchSource<T extends KubeObject> implements WatchSource<T> {
  readonly #rest: RestClient;
  readonly #discovery: Discovery;
  readonly #apiVersion: string;
  readonly #kind: string;
  readonly #sel: Selection;
  /** Server-side watch length; the server closes it and we resume, like client-go. */
  readonly #watchSeconds: number;

  constructor(rest: RestClient, discovery: Discovery, apiVersion: string, kind: string, sel: Selection, watchSeconds = 240 + Math.floor(Math.random() * 120)) {
    this.#rest = rest;
    this.#discovery = discovery;
    this.#apiVersion = apiVersion;
    this.#kind = kind;
    this.#sel = sel;
    this.#watchSeconds = watchSeconds;
  }

  async #collectionPath(): Promise<string> {
    const { path } = await this.#discovery.path({ apiVersion: this.#apiVersion, kind: this.#kind, ...(this.#sel.namespace ? { namespace: this.#sel.namespace } : {}) }, { allNamespaces: true });
    return path;
  }

  #about(verb: 'list' | 'watch'): About {
    return { kind: this.#kind, label: `${this.#kind} ${verb}${this.#sel.namespace ? ` (ns ${this.#sel.namespace})` : ''}` };
  }

  #selectors(): Record<string, string | undefined> {
    return { labelSelector: this.#sel.labelSelector || undefined, fieldSelector: fieldSelectorFor(this.#sel) };
  }

  async list(signal?: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    const path = await this.#collectionPath();
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.#rest.json<ListBody<T>>({
        method: 'GET',
        path,
        query: { ...this.#selectors(), limit: PAGE, continue: cont },
        about: this.#about('list'),
        ...(signal ? { signal } : {}),
      });
      for (const o of page.items ?? []) items.push(withType(o, this.#apiVersion, this.#kind));
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  async watch(resourceVersion: string, onEvent: (e: RawWatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    const path = await this.#collectionPath();
    // A guard for a connection that died silently: the server ends every watch after
    // #watchSeconds, so silence well past that means nobody is on the other side.
    const guard = new AbortController();
    const guardMs = (this.#watchSeconds + 30) * 1000;
    let guardTimer = setTimeout(() => guard.abort(), guardMs);
    // Aborted on the way out, whatever the way: releases the connection.
    const local = new AbortController();
    const both = AbortSignal.any([signal, guard.signal, local.signal]);
    try {
      const res = await this.#rest.send({
        method: 'GET',
        path,
        query: {
          ...this.#selectors(),
          watch: 1,
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: this.#watchSeconds,
        },
        signal: both,
        timeoutMs: 0,
      });
      if (res.status !== 200) throw await this.#rest.failure(res, this.#about('watch'));
      if (!res.body) return;
      const chunks = res.body[Symbol.asyncIterator]();
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await chunks.next();
        } catch (err) {
          // Aborted by the caller, or by the silence guard (then it counts as a close: the caller resumes).
          if (signal.aborted || guard.signal.aborted) return;
          throw this.#rest.transportError(err, signal);
        }
        if (next.done) return;
        clearTimeout(guardTimer);
        guardTimer = setTimeout(() => guard.abort(), guardMs);
        buffered += decoder.decode(next.value as Uint8Array, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          // The handler may throw (410 Gone, a failing condition): that ends this watch.
          if (line !== '') this.#dispatch(line, onEvent);
        }
      }
    } finally {
      clearTimeout(guardTimer);
      local.abort();
    }
  }

  #dispatch(line: string, onEvent: (e: RawWatchEvent<T>) => void): void {
    let e: { type?: string; object?: unknown };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      return; // a torn line from a dropped connection; the resume re-lists what matters
    }
    const obj = e.object as T | undefined;
    switch (e.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        if (obj) onEvent({ type: e.type, object: withType(obj, this.#apiVersion, this.#kind) });
        return;
      case 'BOOKMARK':
        onEvent({ type: 'BOOKMARK', resourceVersion: obj?.metadata?.resourceVersion ?? '' });
        return;
      case 'ERROR':
        onEvent({ type: 'ERROR', status: (e.object ?? {}) as never });
        return;
    }
  }
}
