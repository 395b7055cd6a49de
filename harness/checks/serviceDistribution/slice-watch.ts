// Watching what is measured: the Service's EndpointSlices are followed through
// the whole measurement, so an endpoint that leaves (turns not Ready, is
// deleted) or joins is named with the moment it did, and the verdict is taken
// over the endpoints that stayed (see evaluate.ts). The diff is pure.
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { readyEndpoints, type EndpointSliceObject } from '../common/probe-slices.ts';

export interface EndpointChange {
  endpoint: string;
  change: 'left' | 'joined';
  /** Milliseconds since the measurement began (negative: during the warm-up). */
  atMs: number;
}

/** The changes between consecutive sets of ready endpoints. */
export function diffReady(before: string[], after: string[], atMs: number): EndpointChange[] {
  return [
    ...before.filter((e) => !after.includes(e)).map((endpoint) => ({ endpoint, change: 'left' as const, atMs })),
    ...after.filter((e) => !before.includes(e)).map((endpoint) => ({ endpoint, change: 'joined' as const, atMs })),
  ];
}

/** "sd-1 left the Service at +2.3s" */
export function changeWords(c: EndpointChange): string {
  return `${c.endpoint} ${c.change === 'left' ? 'left' : 'joined'} the Service's ready endpoints at ${c.atMs < 0 ? '-' : '+'}${(Math.abs(c.atMs) / 1000).toFixed(1)}s of the measurement`;
}

export class SliceWatch {
  readonly #changes: EndpointChange[] = [];
  readonly #slices = new Map<string, EndpointSliceObject>();
  readonly #ctl = new AbortController();
  readonly #done: Promise<void>;
  #ready: string[];
  #t0: number;
  #failure: unknown;

  private constructor(kube: Kube, namespace: string, service: string, initial: string[], signal: AbortSignal) {
    this.#ready = [...initial].sort();
    this.#t0 = Date.now();
    this.#done = kube
      .watch<KubeObject & EndpointSliceObject>(
        'discovery.k8s.io/v1',
        'EndpointSlice',
        { namespace, labelSelector: `kubernetes.io/service-name=${service}` },
        (e) => {
          const key = e.object.metadata.name ?? '';
          if (e.type === 'DELETED') this.#slices.delete(key);
          else this.#slices.set(key, e.object);
          const now = readyEndpoints([...this.#slices.values()]);
          this.#changes.push(...diffReady(this.#ready, now, Date.now() - this.#t0));
          this.#ready = now;
        },
        AbortSignal.any([this.#ctl.signal, signal]),
      )
      .catch((err: unknown) => {
        if (!this.#ctl.signal.aborted) this.#failure = err;
      });
  }

  /** Starts watching; `initial` is the ready set the measurement is planned over. */
  static start(kube: Kube, namespace: string, service: string, initial: string[], signal: AbortSignal): SliceWatch {
    return new SliceWatch(kube, namespace, service, initial, signal);
  }

  /** The measurement begins now: times count from here. */
  mark(): void {
    const shift = Date.now() - this.#t0;
    for (const c of this.#changes) c.atMs -= shift;
    this.#t0 = Date.now();
  }

  /** The changes seen so far (the watch goes on). */
  seen(): EndpointChange[] {
    return [...this.#changes];
  }

  /** Stops; the changes seen (throws when the watch failed: the record would have a hole). */
  async stop(): Promise<EndpointChange[]> {
    this.#ctl.abort();
    await this.#done;
    if (this.#failure) throw this.#failure instanceof Error ? this.#failure : new Error(String(this.#failure));
    return this.#changes;
  }
}
