import { describe, expect, it } from 'vitest';
import { chooseRollback, REVISION, rollbackPatch, sameTemplate, type DeploymentLike, type ReplicaSetLike } from './history.ts';

const tpl = (version: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'server', env: [{ name: 'VERSION', value: version }] }] },
});
const owner = [{ kind: 'Deployment', uid: 'd1', controller: true }];
const rs = (name: string, revision: number, version: string, annotations: Record<string, string> = {}): ReplicaSetLike => ({
  metadata: { name, uid: name, annotations: { [REVISION]: String(revision), ...annotations }, ownerReferences: owner },
  spec: { template: tpl(version, name.split('-')[1]) },
});
const deployment = (version: string, extra: Partial<DeploymentLike['spec']> = {}): DeploymentLike => ({
  metadata: { name: 'web', uid: 'd1', annotations: { [REVISION]: '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: { template: tpl(version), ...extra },
});

describe('chooseRollback', () => {
  const history = [rs('web-aaa', 1, 'v1', { note: 'from v1' }), rs('web-bbb', 2, 'v2')];

  it('picks the previous revision and copies its template without pod-template-hash', () => {
    const c = chooseRollback(deployment('v2'), history);
    expect(c).toMatchObject({ ok: true, revision: 1, replicaSet: 'web-aaa' });
    if (!c.ok) return;
    expect(c.template.metadata?.labels).toEqual({ app: 'web' });
    expect(sameTemplate(c.template, tpl('v1'))).toBe(true);
    // The ReplicaSet's own annotations come along; the Deployment keeps its bookkeeping ones.
    expect(c.annotations).toEqual({ note: 'from v1', [REVISION]: '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
    expect(rollbackPatch(c).map((o) => o.path)).toEqual(['/spec/template', '/metadata/annotations']);
  });

  it('does not modify the ReplicaSet it copies from', () => {
    chooseRollback(deployment('v2'), history);
    expect(history[0]!.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': 'aaa' });
  });

  it('after a rollback, "previous" is the revision below the newest, whatever the order', () => {
    // v1 -> v2 -> undo: the v1 ReplicaSet now carries revision 3.
    const after = [rs('web-bbb', 2, 'v2'), rs('web-aaa', 3, 'v1'), rs('web-ccc', 1, 'v0')];
    expect(chooseRollback(deployment('v1'), after)).toMatchObject({ ok: true, revision: 2, replicaSet: 'web-bbb' });
  });

  it('finds a named revision, and names the ones it has when it is missing', () => {
    expect(chooseRollback(deployment('v2'), history, 1)).toMatchObject({ ok: true, replicaSet: 'web-aaa' });
    expect(chooseRollback(deployment('v2'), history, 7)).toEqual({ ok: false, skipped: false, reason: 'unable to find revision 7 of Deployment web in its history (revisions: 1, 2)' });
  });

  it('skips when the chosen template is the current one', () => {
    expect(chooseRollback(deployment('v2'), history, 2)).toEqual({ ok: false, skipped: true, reason: 'skipped rollback: the current template already matches revision 2' });
  });

  it('ignores ReplicaSets the Deployment does not own, and needs two revisions', () => {
    const foreign = { ...rs('other-x', 5, 'v9'), metadata: { ...rs('other-x', 5, 'v9').metadata, ownerReferences: [{ kind: 'Deployment', uid: 'd2', controller: true }] } };
    expect(chooseRollback(deployment('v2'), [rs('web-bbb', 2, 'v2'), foreign])).toEqual({ ok: false, skipped: false, reason: 'no rollout history found for Deployment web: nothing to roll back to' });
  });

  it('refuses a paused Deployment', () => {
    expect(chooseRollback(deployment('v2', { paused: true }), history)).toMatchObject({ ok: false, reason: 'Deployment web is paused: resume it before rolling back' });
  });
});
