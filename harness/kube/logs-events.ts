// Evidence from the cluster: pod logs, and events about an object as EventRecords
// sorted by time.
import type { EventRecord } from '../results/model.ts';

/** The fields of a core/v1 Event that records use. */
export interface CoreEvent {
  metadata?: { creationTimestamp?: string; name?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
}

/** When it last happened: events written by newer components only fill eventTime/series. */
export function eventTime(e: CoreEvent): string {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';
}

export function toEventRecord(e: CoreEvent): EventRecord {
  const count = e.series?.count ?? e.count;
  return {
    time: normalizeTime(eventTime(e)),
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
    message: (e.message ?? '').trim(),
    ...(count !== undefined && count > 1 ? { count } : {}),
  };
}

/** RFC 3339 with or without micro-seconds -> ISO 8601 with milliseconds, so records sort as text. */
function normalizeTime(t: string): string {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString();
}

export function toEventRecords(events: CoreEvent[]): EventRecord[] {
  return events
    .map(toEventRecord)
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

/** `involvedObject.*` field selector for the events of one object (or all, when nothing is given). */
export function involvedSelector(involved?: { kind?: string; name?: string; uid?: string }): string | undefined {
  if (!involved) return undefined;
  const parts: string[] = [];
  if (involved.kind) parts.push(`involvedObject.kind=${involved.kind}`);
  if (involved.name) parts.push(`involvedObject.name=${involved.name}`);
  if (involved.uid) parts.push(`involvedObject.uid=${involved.uid}`);
  return parts.length > 0 ? parts.join(',') : undefined;
}

export function logsQuery(opts: { container?: string; tailLines?: number; previous?: boolean; limitBytes?: number }): Record<string, string | number | boolean | undefined> {
  return {
    container: opts.container,
    tailLines: opts.tailLines,
    previous: opts.previous || undefined,
    // Evidence, not archives: cap what one pod can put into a report.
    limitBytes: opts.limitBytes ?? 1_000_000,
  };
}
