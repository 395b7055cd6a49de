// The rolling-update invariants, judged on a recorded stream of watch events
// (every event, not samples). Pure: the stream comes from rollout/recorder.ts
// on a cluster, or from a test.
//
// How pods count (what the Deployment controller guarantees; see README):
// - A pod belongs to the ReplicaSet named by its controller ownerReference.
// - Active = not terminating (no deletionTimestamp) and not finished (phase
//   Succeeded/Failed). Only active pods count toward maxSurge: the controller
//   scales a new ReplicaSet up as soon as an old pod is told to go, so a
//   terminating pod (still in its grace period) may exist next to a full set of
//   active ones. Terminating pods are shown in the timeline, never counted.
// - Leaving = active pods of a ReplicaSet above the spec.replicas it was scaled
//   down to (at most the amount it was scaled down by). The Deployment
//   controller keeps maxSurge on the ReplicaSets' spec.replicas; the old set's
//   own controller then marks its extra pod for deletion at its own pace, and
//   under load the new set's next pod can be created first (seen: 5 active pods,
//   old 3 + new 2, with the old set already at 2). Those pods are shown in the
//   timeline and not counted. A pod above the most its set ever asked for is
//   never "leaving": it counts, so a set that makes pods nobody asked for is
//   still a surge breach. The two streams are separate watches, so a
//   ReplicaSet change is read up to STREAM_SKEW_MS after the pod event.
// - Available = active and Ready (the probe Deployment has minReadySeconds 0).
//   A terminating pod is never available: it has left the Service.
// - Fallen = active, was Ready earlier in the watch, not Ready now, and not
//   deleted: its own readiness probe failed (a busy 2-core node was seen to
//   time out a 1 s probe in the middle of a rollback). The controller scales
//   down only what it sees available, so a pod that falls by itself between
//   its syncs is not its breach: a fallen pod is counted as available for the
//   maxUnavailable rule and named (falls), never hidden. A controller that
//   takes pods away too early does it by deleting them (terminating) or by
//   counting pods that never became Ready: both still count.
// - maxSurge:       active pods            <= replicas + maxSurge
//                   sum of RS spec.replicas <= replicas + maxSurge (the controller's own books)
// - maxUnavailable: replicas - available   <= maxUnavailable
// Pod rules are judged on the pod stream alone (one watch, so one order); the
// ReplicaSet rule on the ReplicaSet stream alone. Pod rules are armed once the
// watched pods first reach the steady state (available >= replicas): the first
// events of a watch are the existing pods, one ADDED at a time, and a half-listed
// set is not a breach.
import type { RollingLimits } from './strategy.ts';

export interface PodLite {
  metadata: {
    name?: string;
    uid?: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
  };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export interface ReplicaSetLite {
  metadata: { name?: string; uid?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: { replicas?: number };
  status?: { replicas?: number; availableReplicas?: number };
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type RecordedEvent =
  | { t: number; kind: 'Pod'; type: EventType; object: PodLite }
  | { t: number; kind: 'ReplicaSet'; type: EventType; object: ReplicaSetLite };

export interface Breach {
  t: number;
  rule: 'maxSurge' | 'maxUnavailable';
  /** Which stream showed it. */
  source: 'pods' | 'replicasets';
  value: number;
  limit: number;
  /** e.g. "5 active pods (web-5d9 3, web-7c4 2) > 3 replicas + maxSurge 1". */
  detail: string;
}

export interface CountPoint {
  t: number;
  /** Active pods per ReplicaSet name. */
  perSet: Record<string, number>;
  /** Active pods, minus those leaving (what maxSurge bounds). */
  active: number;
  available: number;
  terminating: number;
  /** Active pods of scaled-down sets not yet marked for deletion (not counted in `active`). */
  leaving: number;
  /** Active pods that were Ready earlier and are not now (their own probe): not in `available`. */
  fallen: number;
}

/** A pod that turned NotReady by itself (not deleted) while the rules were armed. */
export interface Fall {
  t: number;
  pod: string;
}

/**
 * How late a ReplicaSet event may arrive after a pod event it caused or preceded:
 * the pod and ReplicaSet watches are two streams with no order between them.
 * The scale-down of the old set comes before the new set's next pod by at least
 * one Deployment controller sync, so this only covers delivery.
 */
export const STREAM_SKEW_MS = 2_000;

export interface InvariantReport {
  limits: RollingLimits;
  /** Time of the event at which the pod rules were armed (steady state first seen). */
  armedAt?: number;
  /** First breach of each rule and source, in time order. */
  breaches: Breach[];
  /** How many events (after arming) left a rule broken. */
  breachingEvents: number;
  peakActive: number;
  peakUnavailable: number;
  peakSpecSum: number;
  podEvents: number;
  replicaSetEvents: number;
  /** One point per change of the counts (pod stream), for the timeline. */
  points: CountPoint[];
  /** Pods that fell NotReady by themselves after arming (first fall of each), in time order. */
  falls: Fall[];
}

export function ownerSet(p: PodLite): string {
  const ref = p.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet') ?? p.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
  return ref?.name ?? `(no ReplicaSet: ${p.metadata.labels?.['pod-template-hash'] ?? 'unknown'})`;
}

export function isTerminating(p: PodLite): boolean {
  return !!p.metadata.deletionTimestamp;
}

export function isFinished(p: PodLite): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

export function isActive(p: PodLite): boolean {
  return !isTerminating(p) && !isFinished(p);
}

export function isAvailable(p: PodLite): boolean {
  return isActive(p) && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
}

function keyOf(o: { metadata: { uid?: string; name?: string } }): string {
  return o.metadata.uid ?? o.metadata.name ?? '';
}

/** A ReplicaSet's spec.replicas as last seen, and the most it has asked for. */
export interface SetScale {
  replicas: number;
  peak: number;
}

export function countPods(pods: Iterable<PodLite>, t: number, scales: ReadonlyMap<string, SetScale> = new Map(), wasReady: ReadonlySet<string> = new Set()): CountPoint {
  const perSet: Record<string, number> = {};
  let active = 0;
  let available = 0;
  let terminating = 0;
  let fallen = 0;
  for (const p of pods) {
    if (isTerminating(p)) terminating++;
    if (!isActive(p)) continue;
    active++;
    const set = ownerSet(p);
    perSet[set] = (perSet[set] ?? 0) + 1;
    if (isAvailable(p)) available++;
    else if (wasReady.has(keyOf(p))) fallen++;
  }
  let leaving = 0;
  for (const [set, n] of Object.entries(perSet)) {
    const scale = scales.get(set);
    if (scale) leaving += Math.max(0, Math.min(n - scale.replicas, scale.peak - scale.replicas));
  }
  return { t, perSet, active: active - leaving, available, terminating, leaving, fallen };
}

/** Reads the ReplicaSet stream forward in time: the scale of each set as of a moment. */
class SetScales {
  private readonly events: Extract<RecordedEvent, { kind: 'ReplicaSet' }>[];
  private next = 0;
  readonly now = new Map<string, SetScale>();

  constructor(events: readonly RecordedEvent[]) {
    this.events = events.filter((e): e is Extract<RecordedEvent, { kind: 'ReplicaSet' }> => e.kind === 'ReplicaSet').sort((a, b) => a.t - b.t);
  }

  /** Applies every ReplicaSet event up to time t (times only grow). */
  upTo(t: number): ReadonlyMap<string, SetScale> {
    for (; this.next < this.events.length && this.events[this.next]!.t <= t; this.next++) {
      const e = this.events[this.next]!;
      const name = e.object.metadata.name ?? '';
      const replicas = e.type === 'DELETED' ? 0 : (e.object.spec?.replicas ?? 0);
      this.now.set(name, { replicas, peak: Math.max(replicas, this.now.get(name)?.peak ?? 0) });
    }
    return this.now;
  }
}

function sameCounts(a: CountPoint, b: CountPoint): boolean {
  if (a.active !== b.active || a.available !== b.available || a.terminating !== b.terminating || a.leaving !== b.leaving || a.fallen !== b.fallen) return false;
  const ka = Object.keys(a.perSet);
  return ka.length === Object.keys(b.perSet).length && ka.every((k) => a.perSet[k] === b.perSet[k]);
}

function setsText(perSet: Record<string, number>): string {
  return Object.entries(perSet)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function checkInvariants(events: readonly RecordedEvent[], limits: RollingLimits): InvariantReport {
  const pods = new Map<string, PodLite>();
  const sets = new Map<string, ReplicaSetLite>();
  const report: InvariantReport = {
    limits,
    breaches: [],
    breachingEvents: 0,
    peakActive: 0,
    peakUnavailable: 0,
    peakSpecSum: 0,
    podEvents: 0,
    replicaSetEvents: 0,
    points: [],
    falls: [],
  };
  // Pods seen Ready (by key), and those already reported as fallen.
  const wasReady = new Set<string>();
  const fell = new Set<string>();
  const maxActive = limits.replicas + limits.maxSurge;
  const minAvailable = limits.replicas - limits.maxUnavailable;
  const firstOf = new Set<string>();
  const scales = new SetScales(events);
  const note = (b: Breach) => {
    const k = `${b.rule}/${b.source}`;
    if (firstOf.has(k)) return;
    firstOf.add(k);
    report.breaches.push(b);
  };

  for (const e of events) {
    if (e.kind === 'ReplicaSet') {
      report.replicaSetEvents++;
      if (e.type === 'DELETED') sets.delete(keyOf(e.object));
      else sets.set(keyOf(e.object), e.object);
      let sum = 0;
      const parts: string[] = [];
      for (const rs of sets.values()) {
        const n = rs.spec?.replicas ?? 0;
        sum += n;
        if (n > 0) parts.push(`${rs.metadata.name ?? '?'} ${n}`);
      }
      report.peakSpecSum = Math.max(report.peakSpecSum, sum);
      if (sum > maxActive) {
        report.breachingEvents++;
        note({
          t: e.t,
          rule: 'maxSurge',
          source: 'replicasets',
          value: sum,
          limit: maxActive,
          detail: `ReplicaSets ask for ${sum} pods (${parts.sort().join(', ')}) > ${limits.replicas} replicas + maxSurge ${limits.maxSurge}`,
        });
      }
      continue;
    }

    report.podEvents++;
    const key = keyOf(e.object);
    if (e.type === 'DELETED') pods.delete(key);
    else pods.set(key, e.object);
    const c = countPods(pods.values(), e.t, scales.upTo(e.t + STREAM_SKEW_MS), wasReady);
    if (e.type !== 'DELETED' && isAvailable(e.object)) wasReady.add(key);
    const fellNow = e.type !== 'DELETED' && isActive(e.object) && !isAvailable(e.object) && wasReady.has(key);
    if (fellNow && report.armedAt !== undefined && !fell.has(key)) {
      fell.add(key);
      report.falls.push({ t: e.t, pod: e.object.metadata.name ?? key });
    }
    const last = report.points[report.points.length - 1];
    if (!last || !sameCounts(last, c)) report.points.push(c);

    if (report.armedAt === undefined) {
      if (c.available >= limits.replicas) report.armedAt = e.t;
      else continue;
    }
    report.peakActive = Math.max(report.peakActive, c.active);
    report.peakUnavailable = Math.max(report.peakUnavailable, limits.replicas - c.available - c.fallen);
    let broken = false;
    if (c.active > maxActive) {
      broken = true;
      note({
        t: e.t,
        rule: 'maxSurge',
        source: 'pods',
        value: c.active,
        limit: maxActive,
        detail: c.leaving
          ? `${c.active} active pods counted (${setsText(c.perSet)}, less ${c.leaving} leaving a scaled-down ReplicaSet) > ${limits.replicas} replicas + maxSurge ${limits.maxSurge}`
          : `${c.active} active pods (${setsText(c.perSet)}) > ${limits.replicas} replicas + maxSurge ${limits.maxSurge}`,
      });
    }
    if (c.available + c.fallen < minAvailable) {
      broken = true;
      note({
        t: e.t,
        rule: 'maxUnavailable',
        source: 'pods',
        value: limits.replicas - c.available,
        limit: limits.maxUnavailable,
        detail: `${c.available}/${limits.replicas} pods available (${limits.replicas - c.available} unavailable > maxUnavailable ${limits.maxUnavailable}; active: ${setsText(c.perSet) || 'none'}${c.terminating ? `, ${c.terminating} terminating` : ''}${c.fallen ? `, ${c.fallen} fallen NotReady by itself, counted available` : ''})`,
      });
    }
    if (broken) report.breachingEvents++;
  }
  report.breaches.sort((a, b) => a.t - b.t);
  return report;
}
