// An in-memory stand-in for Kube, for unit tests of the engine (no cluster).
// It records every call so tests can assert what was created and deleted.
import type { Kube } from '../kube/client.ts';
import type { KubeObject, ObjectRef } from '../kube/types.ts';
import type { EventRecord } from '../results/model.ts';

export class FakeKube {
  objects = new Map<string, KubeObject>();
  calls: string[] = [];
  failApply?: string;

  static key(r: { kind: string; name?: string; namespace?: string }): string {
    return `${r.kind}/${r.namespace ?? ''}/${r.name ?? ''}`;
  }

  asKube(): Kube {
    return this as unknown as Kube;
  }

  get contextName(): string {
    return 'fake';
  }

  async create(o: KubeObject): Promise<KubeObject> {
    this.calls.push(`create ${o.kind} ${o.metadata.name}`);
    this.objects.set(FakeKube.key({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace }), o);
    return o;
  }

  async apply(objs: KubeObject[]): Promise<KubeObject[]> {
    for (const o of objs) {
      this.calls.push(`apply ${o.kind} ${o.metadata.name}`);
      if (this.failApply && o.metadata.name === this.failApply) throw new Error(`apply refused for ${o.metadata.name}`);
      this.objects.set(FakeKube.key({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace }), o);
    }
    return objs;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.objects.get(FakeKube.key(ref));
  }

  async list(_apiVersion: string, kind: string, opts: { namespace?: string } = {}): Promise<KubeObject[]> {
    return [...this.objects.values()].filter((o) => o.kind === kind && (!opts.namespace || o.metadata.namespace === opts.namespace));
  }

  /** Deletes asked to wait until the object is gone ("Kind name"). */
  waitedDeletes: string[] = [];

  async delete(ref: ObjectRef, opts: { wait?: boolean } = {}): Promise<boolean> {
    this.calls.push(`delete ${ref.kind} ${ref.name}`);
    if (opts.wait) this.waitedDeletes.push(`${ref.kind} ${ref.name}`);
    const k = FakeKube.key(ref);
    const had = this.objects.delete(k);
    if (ref.kind === 'Namespace') {
      for (const [key, o] of this.objects) if (o.metadata.namespace === ref.name) this.objects.delete(key);
    }
    return had;
  }

  async waitFor(): Promise<KubeObject[]> {
    return [];
  }

  async events(): Promise<EventRecord[]> {
    return [{ time: '2026-01-01T00:00:00Z', type: 'Warning', reason: 'BackOff', object: 'Pod/x', message: 'Back-off restarting failed container' }];
  }

  async logs(): Promise<string> {
    return 'log line';
  }
}
