// The kube layer against a real kube-apiserver (etcd + apiserver in Docker, no
// kubelet, no controllers): apply, reads, deletes, waits, watches, errors, events,
// eviction. Exec and logs against running pods are in exec.cluster.test.ts.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEnv } from '../testing/api-env.ts';
import { Kube } from './client.ts';
import { AbortedError, ApplyError, ClusterUnreachableError, KubeApiError, WaitTimeoutError } from './errors.ts';
import type { KubeObject } from './types.ts';

const env = apiEnv();
const ns = `kconform-api-${randomBytes(3).toString('hex')}`;

type CM = KubeObject & { data?: Record<string, string> };
const configMap = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): CM => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data,
});
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });

async function failureOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('\n');
    return err as Error;
  }
  throw new Error('expected a failure');
}

/** A kubeconfig like the test one, with its server or CA changed. */
function variantKubeconfig(change: (doc: { clusters: { cluster: Record<string, unknown> }[] }) => void): string {
  const doc = JSON.parse(readFileSync(env.kubeconfig, 'utf8')) as { clusters: { cluster: Record<string, unknown> }[] };
  change(doc);
  const file = `${env.kubeconfig}.${randomBytes(3).toString('hex')}`;
  writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
  return file;
}

it.runIf(env.skipReason !== '')('api tier: the skip reason says what to do', () => {
  expect(env.skipReason).toMatch(/^api tier skipped: .+run /);
});

describe.skipIf(env.skipReason !== '')('Kube against a real API server', () => {
  let admin: Kube;
  let student: Kube;

  beforeAll(async () => {
    admin = env.admin();
    student = env.student();
    await admin.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
  });

  afterAll(async () => {
    await admin?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    await admin?.close();
    await student?.close();
  });

  it('reports the server version and its context', async () => {
    expect(await admin.serverVersion()).toMatch(/^v1\.\d+\.\d+/);
    expect(admin.contextName).toBe('kconform-api-admin');
    expect(admin.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('apply creates, and re-applying the same object changes nothing (field manager kconform)', async () => {
    const [first] = await admin.apply([configMap('applied', { a: '1' })]);
    expect(first?.metadata.uid).toBeTruthy();
    const managers = (first?.metadata['managedFields'] as { manager: string; operation: string }[]).map((m) => `${m.manager}/${m.operation}`);
    expect(managers).toContain('kconform/Apply');
    const [again] = await admin.apply([configMap('applied', { a: '1' })]);
    expect(again?.metadata.resourceVersion).toBe(first?.metadata.resourceVersion);
    const [changed] = await admin.apply([configMap('applied', { a: '2' })]);
    expect((changed as CM).data).toEqual({ a: '2' });
    expect(changed?.metadata.uid).toBe(first?.metadata.uid);
  });

  it('apply takes over fields another manager set (force)', async () => {
    await admin.create(configMap('contested', { k: 'from-create' }));
    const [applied] = await admin.apply([configMap('contested', { k: 'from-apply' })]);
    expect((applied as CM).data?.['k']).toBe('from-apply');
  });

  it('a dry-run apply validates but stores nothing', async () => {
    const [dry] = await admin.apply([configMap('dry', { x: 'y' })], { dryRun: true });
    expect(dry?.metadata.name).toBe('dry');
    expect(await admin.get(ref('dry'))).toBeUndefined();
    const err = await failureOf(admin.apply([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad', namespace: ns }, spec: { replicas: -1 } }], { dryRun: true }));
    expect(err.message).toContain('spec.replicas: Invalid value: -1');
  });

  it('get, list by label, delete (false once gone), delete with wait', async () => {
    await admin.apply([configMap('l1', {}, { app: 'web' }), configMap('l2', {}, { app: 'db' }), configMap('l3', {}, { app: 'web' })]);
    expect((await admin.get<CM>(ref('l1')))?.metadata.labels).toEqual({ app: 'web' });
    expect(await admin.get(ref('nope'))).toBeUndefined();
    const web = await admin.list('v1', 'ConfigMap', { namespace: ns, labelSelector: 'app=web' });
    expect(web.map((o) => o.metadata.name)).toEqual(['l1', 'l3']);
    expect(web[0]?.kind).toBe('ConfigMap');
    const byField = await admin.list('v1', 'ConfigMap', { namespace: ns, fieldSelector: 'metadata.name=l2' });
    expect(byField.map((o) => o.metadata.name)).toEqual(['l2']);
    expect(await admin.delete(ref('l1'), { wait: true, timeoutMs: 10_000 })).toBe(true);
    expect(await admin.get(ref('l1'))).toBeUndefined();
    expect(await admin.delete(ref('l1'))).toBe(false);
    const namespaces = await admin.list('v1', 'Namespace');
    expect(namespaces.map((o) => o.metadata.name)).toContain(ns);
  });

  it('delete with wait returns only when a finalizer is gone', async () => {
    await admin.create({ ...configMap('held'), metadata: { name: 'held', namespace: ns, finalizers: ['kconform.dev/test-hold'] } });
    let resolved = false;
    const deleting = admin.delete(ref('held'), { wait: true, timeoutMs: 20_000 }).then((r) => {
      resolved = true;
      return r;
    });
    await admin.waitFor(ref('held').apiVersion, 'ConfigMap', { namespace: ns, name: 'held' }, (os) => ({ done: !!os[0]?.metadata.deletionTimestamp, observed: 'x' }), { description: 'held terminating', timeoutMs: 10_000 });
    expect(resolved).toBe(false);
    await admin.patch(ref('held'), { metadata: { finalizers: null } }, 'merge');
    expect(await deleting).toBe(true);
    const timeout = await failureOf(
      (async () => {
        await admin.create({ ...configMap('stuck'), metadata: { name: 'stuck', namespace: ns, finalizers: ['kconform.dev/test-hold'] } });
        await admin.delete(ref('stuck'), { wait: true, timeoutMs: 1_500 });
      })(),
    );
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    expect(timeout.message).toBe(`ConfigMap stuck (ns ${ns}) to be deleted: not reached after 2s; last seen: still present (terminating, finalizers: kconform.dev/test-hold)`);
    await admin.patch(ref('stuck'), [{ op: 'remove', path: '/metadata/finalizers' }], 'json');
  });

  it('waitFor sees a change made after the wait began', async () => {
    await admin.apply([configMap('gate', { state: 'closed' })]);
    const waiting = admin.waitFor<CM>('v1', 'ConfigMap', { namespace: ns, name: 'gate' }, (os) => ({ done: os[0]?.data?.['state'] === 'open', observed: `state ${os[0]?.data?.['state'] ?? 'absent'}` }), {
      description: 'ConfigMap gate to open',
      timeoutMs: 20_000,
    });
    await new Promise((r) => setTimeout(r, 300)); // let the watch start: the change must arrive through it
    await admin.patch(ref('gate'), { data: { state: 'open' } }, 'strategic');
    const [gate] = await waiting;
    expect(gate?.data?.['state']).toBe('open');
  });

  it('waitFor times out with the last observed state', async () => {
    await admin.apply([configMap('never', { state: 'closed' })]);
    const err = await failureOf(
      admin.waitFor<CM>('v1', 'ConfigMap', { namespace: ns, name: 'never' }, (os) => ({ done: false, observed: `state ${os[0]?.data?.['state']}` }), { description: 'ConfigMap never to open', timeoutMs: 1_200 }),
    );
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toBe('ConfigMap never to open: not reached after 1s; last seen: state closed');
  });

  it('waitFor stops with AbortedError when the signal aborts', async () => {
    const ac = new AbortController();
    const p = admin.waitFor('v1', 'ConfigMap', { namespace: ns, name: 'nothing' }, () => ({ done: false, observed: 'none' }), { description: 'x', timeoutMs: 30_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    expect(await failureOf(p)).toBeInstanceOf(AbortedError);
  });

  it('watch streams the existing objects, then every change, until aborted', async () => {
    const sel = { namespace: ns, labelSelector: 'watch=me' };
    await admin.apply([configMap('w0', {}, { watch: 'me' })]);
    const ac = new AbortController();
    const events: string[] = [];
    let firstSeen: () => void = () => undefined;
    const first = new Promise<void>((r) => (firstSeen = r));
    const watching = admin.watch('v1', 'ConfigMap', sel, (e) => {
      events.push(`${e.type} ${e.object.metadata.name}`);
      firstSeen();
      if (events.length === 4) ac.abort();
    }, ac.signal);
    try {
      await first;
      await admin.apply([configMap('w1', {}, { watch: 'me' })]);
      await admin.apply([configMap('w1', { v: '2' }, { watch: 'me' })]);
      await admin.delete(ref('w0'));
      await watching;
    } finally {
      ac.abort();
    }
    expect(events).toEqual(['ADDED w0', 'ADDED w1', 'MODIFIED w1', 'DELETED w0']);
  });

  it('create refuses an existing name; patch merges', async () => {
    await admin.create(configMap('once', { a: '1' }));
    expect((await failureOf(admin.create(configMap('once')))).message).toBe(`ConfigMap once (ns ${ns}): already exists`);
    const patched = await admin.patch<CM>(ref('once'), { data: { b: '2' } });
    expect(patched.data).toEqual({ a: '1', b: '2' });
  });

  it('API errors read as one human line', async () => {
    const invalid = await failureOf(admin.apply([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas: -1 } }]));
    expect(invalid).toBeInstanceOf(ApplyError);
    expect(invalid.message).toMatch(new RegExp(`^Deployment web \\(ns ${ns}\\): spec\\.replicas: Invalid value: -1: must be greater than or equal to 0`));

    const typo = await failureOf(admin.apply([{ ...configMap('typo'), dtaa: { a: 'b' } }]));
    expect(typo.message).toMatch(new RegExp(`^ConfigMap typo \\(ns ${ns}\\): .*dtaa`));

    const forbidden = await failureOf(student.apply([configMap('nope')]));
    expect(forbidden).toBeInstanceOf(KubeApiError);
    expect((forbidden as KubeApiError).status).toBe(403);
    expect(forbidden.message).toBe(`ConfigMap nope (ns ${ns}): forbidden: User "student" cannot patch configmaps in namespace "${ns}"`);

    const cannotList = await failureOf(student.waitFor('v1', 'ConfigMap', { namespace: ns }, () => ({ done: false, observed: '' }), { description: 'x', timeoutMs: 30_000 }));
    expect(cannotList.message).toBe(`ConfigMap list (ns ${ns}): forbidden: User "student" cannot list configmaps in namespace "${ns}"`);

    const noNs = await failureOf(admin.apply([{ ...configMap('orphan'), metadata: { name: 'orphan', namespace: 'kconform-no-such-ns' } }]));
    expect(noNs.message).toBe('ConfigMap orphan (ns kconform-no-such-ns): namespace "kconform-no-such-ns" not found');

    const unknownKind = await failureOf(admin.get({ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', namespace: ns }));
    expect(unknownKind.message).toMatch(/does not serve kind Widget in example\.com\/v1 \(is its CustomResourceDefinition installed\?\)$/);

    const partial = (invalid as ApplyError).applied;
    expect(partial).toEqual([]);
  });

  it('an unreachable or untrusted server is one line, without credentials', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    probe.close();
    await once(probe, 'close');
    const down = Kube.fromKubeconfig({ kubeconfig: variantKubeconfig((d) => (d.clusters[0]!.cluster['server'] = `https://127.0.0.1:${port}`)) });
    const refused = await failureOf(down.list('v1', 'ConfigMap', { namespace: ns }));
    expect(refused).toBeInstanceOf(ClusterUnreachableError);
    expect(refused.message).toBe(`cannot reach the API server at https://127.0.0.1:${port}: connection refused`);
    await down.close();

    const untrusted = Kube.fromKubeconfig({ kubeconfig: variantKubeconfig((d) => delete d.clusters[0]!.cluster['certificate-authority-data']) });
    const tls = await failureOf(untrusted.serverVersion());
    expect(tls).toBeInstanceOf(ClusterUnreachableError);
    expect(tls.message).toMatch(new RegExp(`^cannot reach the API server at ${admin.server.replace(/\./g, '\\.')}: TLS: `));
    await untrusted.close();

    const kc = readFileSync(env.kubeconfig, 'utf8');
    const tokens = [...kc.matchAll(/"token": "([^"]+)"/g)].map((m) => m[1]!);
    expect(tokens.length).toBe(2);
    for (const e of [refused, tls]) for (const t of tokens) expect(e.message).not.toContain(t);
  });

  it('lists the events of one object, oldest first', async () => {
    const [target] = await admin.apply([configMap('evented')]);
    const event = (name: string, reason: string, at: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'evented', namespace: ns, uid: target?.metadata.uid },
      reason,
      message: `${reason} happened`,
      type: reason === 'Broken' ? 'Warning' : 'Normal',
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      source: { component: 'kconform-test' },
    });
    await admin.create(event('evented.2', 'Broken', '2026-01-01T00:00:02Z'));
    await admin.create(event('evented.1', 'Made', '2026-01-01T00:00:01Z'));
    await admin.create({ ...event('other.1', 'Other', '2026-01-01T00:00:00Z'), involvedObject: { kind: 'ConfigMap', name: 'other', namespace: ns } });
    const records = await admin.events(ns, { kind: 'ConfigMap', name: 'evented' });
    expect(records).toEqual([
      { time: '2026-01-01T00:00:01.000Z', type: 'Normal', reason: 'Made', object: 'ConfigMap/evented', message: 'Made happened' },
      { time: '2026-01-01T00:00:02.000Z', type: 'Warning', reason: 'Broken', object: 'ConfigMap/evented', message: 'Broken happened' },
    ]);
    expect((await admin.events(ns, { uid: target?.metadata.uid ?? '' })).map((r) => r.reason)).toEqual(['Made', 'Broken']);
  });

  it('evicts a pod with no budget (201) and is refused by a budget (429, naming it)', async () => {
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
    });
    // No scheduler or kubelet here: mark the pods Running by hand, as a kubelet would.
    for (const name of ['free', 'guarded']) {
      await admin.create(pod(name));
      await admin.patch({ apiVersion: 'v1', kind: 'Pod', name, namespace: ns }, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'merge', { subresource: 'status' });
    }
    await admin.apply([{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded-pdb', namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } }]);

    const free = await admin.evict(ns, 'free');
    expect([200, 201]).toContain(free.status);
    const refused = await admin.evict(ns, 'guarded');
    expect(refused.status).toBe(429);
    expect(refused.message).toContain('guarded-pdb');
    expect(await admin.get({ apiVersion: 'v1', kind: 'Pod', name: 'guarded', namespace: ns })).toBeDefined();
    expect((await admin.evict(ns, 'no-such-pod')).status).toBe(404);
  });

  it('exec explains why a pod without a node cannot run commands; logs of such a pod are empty', async () => {
    await admin.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unscheduled', namespace: ns }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } });
    const exec = await failureOf(admin.exec({ namespace: ns, name: 'unscheduled' }, ['true']));
    expect(exec.message).toBe(`Pod unscheduled (ns ${ns}): cannot exec in container c: the pod is Pending`);
    const missing = await failureOf(admin.exec({ namespace: ns, name: 'ghost' }, ['true']));
    expect(missing.message).toBe(`Pod ghost (ns ${ns}): not found (cannot exec)`);
    // A pod on no node has no logs yet (the server answers empty, not an error).
    expect(await admin.logs(ns, 'unscheduled')).toBe('');
    const noPod = await failureOf(admin.logs(ns, 'ghost'));
    expect(noPod).toBeInstanceOf(KubeApiError);
    expect(noPod.message).toBe(`Pod ghost (ns ${ns}): not found`);
  });
});
