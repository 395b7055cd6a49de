import { describe, expect, it } from 'vitest';
import { firstNewPodProblem, podProblem, problemWords } from './new-pod-problems.ts';
import type { PodObject } from '../../kube/objects.ts';

const pod = (name: string, version: string, status: PodObject['status'], created = '2026-01-01T00:00:01Z'): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, creationTimestamp: created, labels: { v: version } },
  spec: { nodeName: 'w2', containers: [{ name: 'server', image: 'example.invalid/agnhost:nope' }] },
  status,
});

describe('podProblem', () => {
  it('names an image that cannot be pulled with the pod, image, node and kubelet message', () => {
    const p = pod('web-v2-a', 'v2', { phase: 'Pending', containerStatuses: [{ name: 'server', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: 'failed to pull and unpack image "example.invalid/agnhost:nope": dial tcp: lookup example.invalid: no such host' } } }] });
    expect(problemWords(podProblem(p)!)).toBe('pod web-v2-a (image example.invalid/agnhost:nope, node w2): ErrImagePull: failed to pull and unpack image "example.invalid/agnhost:nope": dial tcp: lookup example.invalid: no such host');
  });
  it('calls a container that exited with an error and restarted a crash loop before the back-off names it', () => {
    const p = pod('web-v2-b', 'v2', { phase: 'Running', containerStatuses: [{ name: 'server', ready: false, restartCount: 1, state: { terminated: { reason: 'Error', exitCode: 2 } } }] });
    expect(podProblem(p)).toMatchObject({ reason: 'CrashLoopBackOff', message: 'container server exited 2 (Error) after 1 restart(s)' });
  });
  it('names an unschedulable pod with the scheduler message; a pod just starting is no problem', () => {
    const p = pod('web-v2-c', 'v2', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] });
    expect(podProblem(p)).toMatchObject({ reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' });
    expect(podProblem(pod('web-v2-d', 'v2', { phase: 'Pending', containerStatuses: [{ name: 'server', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }))).toBeUndefined();
  });
});

describe('firstNewPodProblem', () => {
  it('looks only at the new revision, oldest pod first', () => {
    const pull = (name: string, v: string, created: string) => pod(name, v, { phase: 'Pending', containerStatuses: [{ name: 'server', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] }, created);
    const pods = [pull('old-v1', 'v1', '2026-01-01T00:00:00Z'), pull('new-2', 'v2', '2026-01-01T00:00:05Z'), pull('new-1', 'v2', '2026-01-01T00:00:03Z')];
    expect(firstNewPodProblem(pods, (p) => p.metadata.labels?.v === 'v2')?.pod).toBe('new-1');
    expect(firstNewPodProblem(pods, (p) => p.metadata.labels?.v === 'v3')).toBeUndefined();
  });
});
