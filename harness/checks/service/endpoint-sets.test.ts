import { describe, expect, it } from 'vitest';
import type { PodObject } from '../../kube/objects.ts';
import { compareEndpoints, listedEndpoints, podView, type PodView, type SliceObject } from './endpoint-sets.ts';

const view = (name: string, ip: string, ready = true, labels: Record<string, string> = { app: 'web' }, terminating = false): PodView => ({ name, ip, ready, terminating, labels });
const slice = (...eps: [name: string, ip: string, ready: boolean | null][]): SliceObject => ({
  metadata: { name: 'web-abc' },
  endpoints: eps.map(([name, ip, ready]) => ({ addresses: [ip], conditions: { ready }, targetRef: { kind: 'Pod', name } })),
});
const cmp = (pods: PodView[], slices: SliceObject[], selector = { app: 'web' }) => compareEndpoints({ service: 'web', namespace: 'shop', selector, pods, slices });

describe('listedEndpoints', () => {
  it('merges a pod listed in two slices, treats an unset ready as ready, names a pod-less endpoint by its address', () => {
    const s: SliceObject[] = [
      slice(['web-1', '10.0.0.1', null]),
      { metadata: {}, endpoints: [{ addresses: ['fd00::1'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-1' } }, { addresses: ['10.9.9.9'] }] },
    ];
    expect(listedEndpoints(s)).toEqual([
      { name: '10.9.9.9', pod: false, addresses: ['10.9.9.9'], ready: true },
      { name: 'web-1', pod: true, addresses: ['10.0.0.1', 'fd00::1'], ready: true },
    ]);
  });
});

describe('compareEndpoints', () => {
  it('passes when the slices hold exactly the Ready matching pods', () => {
    const r = cmp([view('web-1', '10.0.0.1'), view('web-2', '10.0.0.2'), view('web-3', '10.0.0.3', false), view('db-0', '10.0.0.9', true, { app: 'db' })], [slice(['web-1', '10.0.0.1', true], ['web-2', '10.0.0.2', true], ['web-3', '10.0.0.3', false])]);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.expected).toEqual(['web-1', 'web-2']);
  });

  it('names a Ready pod missing from the slices, a not-Ready pod listed ready, a wrong address, and a pod that does not match', () => {
    const pods = [view('web-1', '10.0.0.1'), view('web-2', '10.0.0.2'), view('web-3', '10.0.0.3', false), view('web-4', '10.0.0.4'), view('db-0', '10.0.0.9', true, { app: 'db' })];
    const r = cmp(pods, [slice(['web-1', '10.0.0.1', true], ['web-3', '10.0.0.3', true], ['web-4', '10.0.0.44', true], ['db-0', '10.0.0.9', true])]);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'pod web-2 is Ready and matches app=web but is not in the EndpointSlices',
      'pod web-4 has IP 10.0.0.4 but its endpoint lists 10.0.0.44',
      'the EndpointSlices list pod db-0 as ready, but it does not match app=web',
      'the EndpointSlices list pod web-3 as ready, but the pod is not Ready',
    ]);
  });

  it('a terminating pod is not expected; listed ready it is named', () => {
    const r = cmp([view('web-1', '10.0.0.1'), view('web-2', '10.0.0.2', true, { app: 'web' }, true)], [slice(['web-1', '10.0.0.1', true], ['web-2', '10.0.0.2', true])]);
    expect(r.expected).toEqual(['web-1']);
    expect(r.problems).toEqual(['the EndpointSlices list pod web-2 as ready while it is terminating']);
  });

  it('a selector that matches no pod is one sentence with the near misses, not a list of missing pods', () => {
    const r = cmp([view('webapp-1', '10.0.0.1', true, { app: 'webapp' }), view('webapp-2', '10.0.0.2', true, { app: 'webapp' })], [], { app: 'web' });
    expect(r.noMatch).toBe('selector app=web matches no pod; pods carry app=webapp (webapp-1, webapp-2)');
    expect(r.problems).toEqual([r.noMatch]);
  });

  it('endpoints written by hand for a pod that does not exist are named', () => {
    const r = cmp([view('web-1', '10.0.0.1')], [slice(['web-1', '10.0.0.1', true], ['ghost', '10.0.0.7', true]), { metadata: {}, endpoints: [{ addresses: ['192.168.1.1'] }] }]);
    expect(r.problems).toEqual([
      'the EndpointSlices list 192.168.1.1 as ready, and it is not a pod (an Endpoints object written by hand?)',
      'the EndpointSlices list pod ghost (10.0.0.7) as ready, but no such pod exists in namespace shop',
    ]);
  });
});

describe('podView', () => {
  it('reads readiness, IP, labels and termination from a pod object', () => {
    const p: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', labels: { app: 'web' }, deletionTimestamp: '2026-01-01T00:00:00Z' },
      status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    expect(podView(p)).toEqual({ name: 'web-1', ip: '10.0.0.1', ready: true, terminating: true, labels: { app: 'web' } });
  });
});
