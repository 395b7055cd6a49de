// SKELETON (being implemented): the one door to the Kubernetes API for checks and the runner.
import type { EventRecord } from '../results/model.ts';
import type { ExecResult, KubeObject, ListOptions, ObjectRef } from './types.ts';

export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
}

export interface WaitOptions {
  /** Words for messages: "Deployment web to have 3 ready replicas". */
  description: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A predicate over the current set of watched objects; `observed` describes the state in words. */
export type Condition<T> = (objects: T[]) => { done: boolean; observed: string };

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

export class Kube {
  static fromKubeconfig(_opts: KubeOptions): Kube {
    throw new Error('not implemented');
  }
  /** Context and server URL, for messages (never credentials). */
  get contextName(): string {
    throw new Error('not implemented');
  }
  get server(): string {
    throw new Error('not implemented');
  }
  /** Server-side apply, field manager "kconform", force conflicts. */
  async apply(_objects: KubeObject[], _opts?: { dryRun?: boolean; signal?: AbortSignal }): Promise<KubeObject[]> {
    throw new Error('not implemented');
  }
  async get<T extends KubeObject = KubeObject>(_ref: ObjectRef): Promise<T | undefined> {
    throw new Error('not implemented');
  }
  async list<T extends KubeObject = KubeObject>(_apiVersion: string, _kind: string, _opts?: ListOptions): Promise<T[]> {
    throw new Error('not implemented');
  }
  async create<T extends KubeObject = KubeObject>(_object: KubeObject): Promise<T> {
    throw new Error('not implemented');
  }
  async patch<T extends KubeObject = KubeObject>(_ref: ObjectRef, _patch: unknown, _type?: 'merge' | 'strategic' | 'json'): Promise<T> {
    throw new Error('not implemented');
  }
  /** Returns false when it was already gone. With wait, returns once the object is gone. */
  async delete(_ref: ObjectRef, _opts?: { wait?: boolean; timeoutMs?: number; gracePeriodSeconds?: number; signal?: AbortSignal }): Promise<boolean> {
    throw new Error('not implemented');
  }
  /** Watch (list + watch from its resourceVersion) until the condition holds; WaitTimeoutError with the last observed state otherwise. */
  async waitFor<T extends KubeObject = KubeObject>(_apiVersion: string, _kind: string, _sel: ListOptions & { name?: string }, _cond: Condition<T>, _opts: WaitOptions): Promise<T[]> {
    throw new Error('not implemented');
  }
  /** Stream every watch event until stop() or the signal aborts. */
  watch<T extends KubeObject = KubeObject>(_apiVersion: string, _kind: string, _sel: ListOptions & { name?: string }, _onEvent: (e: WatchEvent<T>) => void, _signal: AbortSignal): Promise<void> {
    throw new Error('not implemented');
  }
  async exec(_pod: { namespace: string; name: string; container?: string }, _command: string[], _opts?: { timeoutMs?: number; signal?: AbortSignal; stdin?: string }): Promise<ExecResult> {
    throw new Error('not implemented');
  }
  async logs(_namespace: string, _pod: string, _opts?: { container?: string; tailLines?: number; previous?: boolean }): Promise<string> {
    throw new Error('not implemented');
  }
  async events(_namespace: string, _involved?: { kind?: string; name?: string; uid?: string }): Promise<EventRecord[]> {
    throw new Error('not implemented');
  }
  /** e.g. "v1.37.2". */
  async serverVersion(): Promise<string> {
    throw new Error('not implemented');
  }
  /** POST pods/eviction: 201 evicted, 429 refused by a PDB (message says which). */
  async evict(_namespace: string, _pod: string): Promise<{ status: number; message: string }> {
    throw new Error('not implemented');
  }
}
