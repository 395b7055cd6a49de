// Records every watch event of some object sets (every one, in arrival order,
// with its time) for judging afterwards: the rollout invariants, eviction
// times. Objects are trimmed to the fields those judges read.
import type { Kube } from '../../kube/client.ts';
import type { KubeObject, ListOptions } from '../../kube/types.ts';

export interface RecordedSource {
  apiVersion: string;
  kind: string;
  sel: ListOptions;
}

export interface Recorded {
  /** Milliseconds since the recorder started (harness clock). */
  t: number;
  kind: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

/** Keeps what the judges read: identity, labels, owners, deletion, phase and conditions, replica counts. */
export function trim(o: KubeObject): KubeObject {
  const m = o.metadata;
  const spec = (o['spec'] ?? {}) as Record<string, unknown>;
  const status = (o['status'] ?? {}) as Record<string, unknown>;
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: m.name,
      uid: m.uid,
      ...(m.labels ? { labels: m.labels } : {}),
      ...(m.annotations ? { annotations: pick(m.annotations, (k) => k.startsWith('deployment.kubernetes.io/')) } : {}),
      ...(m.ownerReferences ? { ownerReferences: m.ownerReferences } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
    spec: {
      ...(spec['replicas'] !== undefined ? { replicas: spec['replicas'] } : {}),
      ...(spec['nodeName'] !== undefined ? { nodeName: spec['nodeName'] } : {}),
    },
    status: {
      ...(status['phase'] !== undefined ? { phase: status['phase'] } : {}),
      ...(status['conditions'] !== undefined ? { conditions: status['conditions'] } : {}),
      ...(status['replicas'] !== undefined ? { replicas: status['replicas'] } : {}),
      ...(status['availableReplicas'] !== undefined ? { availableReplicas: status['availableReplicas'] } : {}),
    },
  };
}

function pick(rec: Record<string, string>, keep: (k: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(rec).filter(([k]) => keep(k)));
}

export class EventRecorder {
  readonly events: Recorded[] = [];
  /** Harness epoch ms of t = 0. */
  readonly origin: number;
  readonly #ctl = new AbortController();
  readonly #done: Promise<void>[];
  readonly #listeners = new Set<() => void>();
  #failure: unknown;

  private constructor(kube: Kube, sources: RecordedSource[], signal: AbortSignal) {
    this.origin = Date.now();
    const stop = AbortSignal.any([this.#ctl.signal, signal]);
    this.#done = sources.map((s) =>
      kube
        .watch(
          s.apiVersion,
          s.kind,
          s.sel,
          (e) => {
            this.events.push({ t: Date.now() - this.origin, kind: s.kind, type: e.type, object: trim(e.object) });
            for (const l of this.#listeners) l();
          },
          stop,
        )
        .catch((err: unknown) => {
          this.#failure = err;
          for (const l of this.#listeners) l();
        }),
    );
  }

  static start(kube: Kube, sources: RecordedSource[], signal: AbortSignal): EventRecorder {
    return new EventRecorder(kube, sources, signal);
  }

  /** Milliseconds since the start, for marking phases on the same clock as the events. */
  now(): number {
    return Date.now() - this.origin;
  }

  /**
   * Resolves once `pred` holds on the events so far (checked after each event),
   * false at `timeoutMs`. Throws when a watch failed for good.
   */
  until(pred: (events: readonly Recorded[]) => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const finish = (v: boolean | Error) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        signal.removeEventListener('abort', onAbort);
        if (v instanceof Error) reject(v);
        else resolve(v);
      };
      const check = () => {
        if (this.#failure) return finish(this.#failure instanceof Error ? this.#failure : new Error(String(this.#failure)));
        if (pred(this.events)) finish(true);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
      this.#listeners.add(check);
      signal.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /** Stops the watches; throws when one failed for good while recording (the record would have a hole). */
  async stop(): Promise<Recorded[]> {
    this.#ctl.abort();
    await Promise.all(this.#done);
    if (this.#failure) throw this.#failure instanceof Error ? this.#failure : new Error(String(this.#failure));
    return this.events;
  }
}
