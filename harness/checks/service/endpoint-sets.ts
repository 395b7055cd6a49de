// Does a Service's EndpointSlice set hold exactly the Ready pods its selector
// matches? Compares the two sets by pod name (targetRef) and address. Pure.
import { podReady, type PodObject } from '../../kube/objects.ts';
import { noMatchSentence, selectorMatches, selectorText } from '../common/label-near-miss.ts';

export interface SliceObject {
  metadata: { name?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?:
    | {
        addresses?: string[];
        conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
        targetRef?: { kind?: string; name?: string; namespace?: string };
        nodeName?: string;
      }[]
    | null;
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
}

export interface ListedEndpoint {
  /** Pod name from targetRef, or the address when the endpoint names no pod. */
  name: string;
  pod: boolean;
  addresses: string[];
  ready: boolean;
}

export interface PodView {
  name: string;
  ip?: string;
  ready: boolean;
  terminating: boolean;
  labels: Record<string, string>;
}

export function podView(p: PodObject): PodView {
  return {
    name: p.metadata.name ?? '',
    ...(p.status?.podIP ? { ip: p.status.podIP } : {}),
    ready: podReady(p),
    terminating: !!p.metadata.deletionTimestamp,
    labels: p.metadata.labels ?? {},
  };
}

/** Every endpoint of every slice, one entry per pod (an unset ready condition means ready). */
export function listedEndpoints(slices: SliceObject[]): ListedEndpoint[] {
  const byName = new Map<string, ListedEndpoint>();
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      const addresses = e.addresses ?? [];
      const isPod = e.targetRef?.kind === 'Pod' && !!e.targetRef.name;
      const name = isPod ? e.targetRef!.name! : (addresses[0] ?? '?');
      const ready = e.conditions?.ready !== false;
      // The same pod may appear in two slices (IPv4 and IPv6): merge.
      const prev = byName.get(name);
      if (prev) {
        prev.addresses = [...new Set([...prev.addresses, ...addresses])];
        prev.ready = prev.ready || ready;
      } else byName.set(name, { name, pod: isPod, addresses, ready });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface EndpointComparison {
  ok: boolean;
  /** Pods the selector matches (any state). */
  matching: PodView[];
  /** Ready, not terminating, matching pods: what the slices must list as ready. */
  expected: string[];
  /** What the slices list as ready. */
  listedReady: string[];
  problems: string[];
  /** The selector matches no pod at all: the one-line sentence with near misses. */
  noMatch?: string;
}

/**
 * `pods` are all pods of the Service's namespace (near misses come from them).
 * Problems are sentences naming the pod, e.g. "pod web-2 is Ready but not listed
 * ready in the EndpointSlices".
 */
export function compareEndpoints(opts: { service: string; namespace: string; selector: Record<string, string>; pods: PodView[]; slices: SliceObject[] }): EndpointComparison {
  const matching = opts.pods.filter((p) => selectorMatches(opts.selector, p.labels));
  const expectedPods = matching.filter((p) => p.ready && !p.terminating);
  const expected = expectedPods.map((p) => p.name).sort();
  const listed = listedEndpoints(opts.slices);
  const listedReady = listed.filter((e) => e.ready);
  const problems: string[] = [];

  if (matching.length === 0) {
    const noMatch = noMatchSentence(opts.selector, opts.pods.map((p) => ({ name: p.name, labels: p.labels })), 'pod', `in namespace ${opts.namespace}`);
    const stray = listedReady.length > 0 ? `; yet its EndpointSlices list ${listedReady.map((e) => e.name).join(', ')} as ready` : '';
    return { ok: false, matching, expected, listedReady: listedReady.map((e) => e.name), problems: [`${noMatch}${stray}`], noMatch: `${noMatch}${stray}` };
  }

  const byName = new Map(opts.pods.map((p) => [p.name, p]));
  for (const p of expectedPods) {
    const e = listed.find((l) => l.name === p.name);
    if (!e) problems.push(`pod ${p.name} is Ready and matches ${selectorText(opts.selector)} but is not in the EndpointSlices`);
    else if (!e.ready) problems.push(`pod ${p.name} is Ready but its endpoint is listed not ready`);
    else if (p.ip && !e.addresses.includes(p.ip)) problems.push(`pod ${p.name} has IP ${p.ip} but its endpoint lists ${e.addresses.join(', ') || 'no address'}`);
  }
  for (const e of listedReady) {
    if (expected.includes(e.name)) continue;
    const p = byName.get(e.name);
    if (!e.pod) problems.push(`the EndpointSlices list ${e.name} as ready, and it is not a pod (an Endpoints object written by hand?)`);
    else if (!p) problems.push(`the EndpointSlices list pod ${e.name} (${e.addresses.join(', ')}) as ready, but no such pod exists in namespace ${opts.namespace}`);
    else if (!selectorMatches(opts.selector, p.labels)) problems.push(`the EndpointSlices list pod ${e.name} as ready, but it does not match ${selectorText(opts.selector)}`);
    else if (p.terminating) problems.push(`the EndpointSlices list pod ${e.name} as ready while it is terminating`);
    else problems.push(`the EndpointSlices list pod ${e.name} as ready, but the pod is not Ready`);
  }
  return { ok: problems.length === 0, matching, expected, listedReady: listedReady.map((e) => e.name), problems };
}
