// Reading a Service's EndpointSlices: which endpoints are ready. Pure.

export interface EndpointSliceObject {
  metadata: { name?: string };
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean | null }; targetRef?: { kind?: string; name?: string } }[] | null;
}

/** Names (pod name, else first address) of the ready endpoints across a Service's slices. */
export function readyEndpoints(slices: EndpointSliceObject[]): string[] {
  return [...new Set(readyEntries(slices).map((e) => e.name))].sort();
}

/** Ready endpoints' addresses across a Service's slices. */
export function readyAddresses(slices: EndpointSliceObject[]): string[] {
  return [...new Set(readyEntries(slices).flatMap((e) => e.addresses))].sort();
}

function readyEntries(slices: EndpointSliceObject[]): { name: string; addresses: string[] }[] {
  const out: { name: string; addresses: string[] }[] = [];
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      // An unset ready condition means ready (EndpointSlice API semantics).
      if (e.conditions?.ready === false) continue;
      const name = e.targetRef?.name ?? e.addresses?.[0];
      if (name) out.push({ name, addresses: e.addresses ?? [] });
    }
  }
  return out;
}
