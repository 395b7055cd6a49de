import { describe, expect, it } from 'vitest';
import type { PodObject } from '../../kube/objects.ts';
import type { SliceObject } from '../service/endpoint-sets.ts';
import { judgeHealing, judgeStep, type DeploymentObject, type Observed, type ReplicaSetObject } from './evaluate.ts';

const scope = { deployment: 'web', service: 'web', namespace: 'ns', selector: { app: 'web' } };
const pod = (name: string, ip: string, o: { ready?: boolean; terminating?: boolean; pending?: string } = {}): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, uid: `uid-${name}`, labels: { app: 'web' }, ...(o.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  status: o.pending
    ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: o.pending }] }
    : { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const slice = (...eps: [string, string, boolean][]): SliceObject => ({ metadata: {}, endpoints: eps.map(([name, ip, ready]) => ({ addresses: [ip], conditions: { ready }, targetRef: { kind: 'Pod', name } })) });
const deployment = (replicas: number): DeploymentObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', uid: 'd1' }, spec: { replicas } });
const rs = (spec: number, ready: number): ReplicaSetObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-abc', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }] },
  spec: { replicas: spec },
  status: { replicas: spec, readyReplicas: ready },
});
const before = ['uid-web-1', 'uid-web-2', 'uid-web-3'];

describe('judgeHealing', () => {
  it('is done once a new pod is Ready, the ReplicaSet is back to 3/3 and the victim has left the endpoints', () => {
    const o: Observed = {
      deployment: deployment(3),
      replicaSets: [rs(3, 3)],
      pods: [pod('web-2', '10.0.0.2'), pod('web-3', '10.0.0.3'), pod('web-4', '10.0.0.4')],
      slices: [slice(['web-2', '10.0.0.2', true], ['web-3', '10.0.0.3', true], ['web-4', '10.0.0.4', true])],
    };
    const s = judgeHealing(o, scope, { replicas: 3, victim: 'web-1', before });
    expect(s).toMatchObject({ done: true, observed: 'healed', victimListed: false, replacement: { name: 'web-4', ready: true } });
  });

  it('waits while the replacement starts and the victim is still a ready endpoint', () => {
    const o: Observed = {
      deployment: deployment(3),
      replicaSets: [rs(3, 2)],
      pods: [pod('web-1', '10.0.0.1', { terminating: true }), pod('web-2', '10.0.0.2'), pod('web-3', '10.0.0.3'), pod('web-4', '10.0.0.4', { ready: false })],
      slices: [slice(['web-1', '10.0.0.1', true], ['web-2', '10.0.0.2', true], ['web-3', '10.0.0.3', true])],
    };
    const s = judgeHealing(o, scope, { replicas: 3, victim: 'web-1', before });
    expect(s.done).toBe(false);
    expect(s.observed).toBe(
      'replacement web-4 not Ready (Running, not Ready); 2/3 pods Ready (3 not terminating); deleted pod web-1 still listed ready in the EndpointSlices; the EndpointSlices list pod web-1 as ready while it is terminating',
    );
  });

  it('stops at once, with the reason, when the Deployment was scaled to 0 behind its back', () => {
    const o: Observed = { deployment: deployment(0), replicaSets: [rs(0, 0)], pods: [pod('web-2', '10.0.0.2', { terminating: true })], slices: [slice()] };
    const s = judgeHealing(o, scope, { replicas: 3, victim: 'web-1', before });
    expect(s.done).toBe(true);
    expect(s.fatal).toBe('Deployment web was scaled to 0 during the check (not by kconform; expected 3): no replacement will come for pod web-1 (0 Ready pod(s), ReplicaSet wants 0)');
  });

  it('names a replacement that cannot be scheduled', () => {
    const o: Observed = {
      deployment: deployment(3),
      replicaSets: [rs(3, 2)],
      pods: [pod('web-2', '10.0.0.2'), pod('web-3', '10.0.0.3'), pod('web-4', '', { pending: '0/3 nodes are available: 3 Insufficient cpu.' })],
      slices: [slice(['web-2', '10.0.0.2', true], ['web-3', '10.0.0.3', true])],
    };
    expect(judgeHealing(o, scope, { replicas: 3, victim: 'web-1', before }).observed).toMatch(/^replacement web-4 not Ready \(Pending: 0\/3 nodes are available: 3 Insufficient cpu\.\)/);
  });
});

describe('judgeStep', () => {
  it('scaled up to 5: done when 5 pods, the ReplicaSet and 5 endpoints agree', () => {
    const pods = ['1', '2', '3', '4', '5'].map((i) => pod(`web-${i}`, `10.0.0.${i}`));
    const o: Observed = { deployment: deployment(5), replicaSets: [rs(5, 5)], pods, slices: [slice(...pods.map((p): [string, string, boolean] => [p.metadata.name!, p.status!.podIP!, true]))] };
    expect(judgeStep(o, scope, 5)).toEqual({ done: true, ready: 5, live: 5, listed: 5, observed: '5 Ready, 5 endpoints' });
  });

  it('scaled down to 2: terminating pods do not count, but while they are listed ready the step is not done', () => {
    const o: Observed = {
      deployment: deployment(2),
      replicaSets: [rs(2, 2)],
      pods: [pod('web-1', '10.0.0.1'), pod('web-2', '10.0.0.2'), pod('web-3', '10.0.0.3', { terminating: true })],
      slices: [slice(['web-1', '10.0.0.1', true], ['web-2', '10.0.0.2', true], ['web-3', '10.0.0.3', true])],
    };
    const s = judgeStep(o, scope, 2);
    expect(s.done).toBe(false);
    expect(s.observed).toBe('3 ready endpoints: the EndpointSlices list pod web-3 as ready while it is terminating');
  });

  it('scaled to 0: no pods and no endpoints is done', () => {
    expect(judgeStep({ deployment: deployment(0), replicaSets: [rs(0, 0)], pods: [], slices: [] }, scope, 0).done).toBe(true);
  });

  it('a Deployment deleted behind its back is fatal', () => {
    expect(judgeStep({ replicaSets: [], pods: [], slices: [] }, scope, 3).fatal).toBe('Deployment web was deleted during the check');
  });
});
