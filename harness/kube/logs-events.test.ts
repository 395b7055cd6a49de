import { describe, expect, it } from 'vitest';
import { involvedSelector, logsQuery, toEventRecord, toEventRecords } from './logs-events.ts';

describe('events as records', () => {
  it('takes the newest time a component filled in, and the series count', () => {
    expect(
      toEventRecord({
        involvedObject: { kind: 'Pod', name: 'web-1' },
        reason: 'BackOff',
        message: 'Back-off restarting failed container\n',
        type: 'Warning',
        eventTime: '2026-01-01T00:00:00.000001Z',
        series: { count: 7, lastObservedTime: '2026-01-01T00:05:00.123456Z' },
      }),
    ).toEqual({ time: '2026-01-01T00:05:00.123Z', type: 'Warning', reason: 'BackOff', object: 'Pod/web-1', message: 'Back-off restarting failed container', count: 7 });
    expect(toEventRecord({ involvedObject: { kind: 'Node', name: 'n1' }, reason: 'NodeReady', count: 1, metadata: { creationTimestamp: '2026-01-02T00:00:00Z' } })).toEqual({
      time: '2026-01-02T00:00:00.000Z',
      type: 'Normal',
      reason: 'NodeReady',
      object: 'Node/n1',
      message: '',
    });
  });

  it('sorts oldest first', () => {
    const recs = toEventRecords([
      { reason: 'b', lastTimestamp: '2026-01-01T00:00:02Z' },
      { reason: 'a', lastTimestamp: '2026-01-01T00:00:01Z' },
      { reason: 'c', eventTime: '2026-01-01T00:00:01.500000Z' },
    ]);
    expect(recs.map((r) => r.reason)).toEqual(['a', 'c', 'b']);
  });

  it('selects the events of one object by kind, name and uid', () => {
    expect(involvedSelector({ kind: 'Pod', name: 'p', uid: 'u-1' })).toBe('involvedObject.kind=Pod,involvedObject.name=p,involvedObject.uid=u-1');
    expect(involvedSelector({})).toBeUndefined();
    expect(involvedSelector()).toBeUndefined();
  });
});

describe('logsQuery', () => {
  it('caps the bytes and passes only what was asked', () => {
    expect(logsQuery({ container: 'c', tailLines: 50 })).toEqual({ container: 'c', tailLines: 50, previous: undefined, limitBytes: 1_000_000 });
    expect(logsQuery({ previous: true, limitBytes: 10 })).toMatchObject({ previous: true, limitBytes: 10 });
  });
});
