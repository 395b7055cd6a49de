// The grader role printed by `kconform rbac` is sufficient and minimal, on a
// real cluster: a ServiceAccount bound to exactly those roles, with a token from
// the TokenRequest API in a kubeconfig of its own, grades lab1 as the cluster
// admin does (30/30); with one permission less, the check that needs it fails
// with a clear "forbidden" reason.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kube } from '../kube/client.ts';
import { applyVariant, settleVariant } from './testing/student-cluster.ts';
import { graderIdentity, gradeKubeconfigs, lab1Roles, type GraderIdentity } from './testing/grade-helpers.ts';
import type { KubeObject } from '../kube/types.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

describe.skipIf(!kubeconfig)(`grader RBAC on the testbed${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let admin: Kube;
  let work: string;
  let id: GraderIdentity | undefined;

  beforeAll(async () => {
    admin = Kube.fromKubeconfig({ kubeconfig });
    work = await mkdtemp(path.join(os.tmpdir(), 'kconform-rbac-'));
    await applyVariant(admin, 'lab1', 'solution');
    await settleVariant(admin, 'lab1', 90_000);
  });
  afterAll(async () => {
    await id?.close();
    await admin?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('with exactly the printed roles, lab1 grades 30/30; the token never reaches a report', async () => {
    const roles = await lab1Roles();
    id = await graderIdentity(admin, kubeconfig, roles, 'rbac');
    const { sheet } = await gradeKubeconfigs([{ student: 'grader', file: id.kubeconfig }], { reportsDir: path.join(work, 'full') });
    const g = sheet.students[0]!;
    for (const c of g.checks.filter((x) => x.status !== 'pass')) process.stdout.write(`      ${c.id} ${c.status}: ${c.reason}\n`);
    expect(g.outcome).toBe('graded');
    expect(g.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(g.points).toBe(30);
    expect(g.cluster?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const token = /token: (\S+)/.exec(await readFile(id.kubeconfig, 'utf8'))?.[1] ?? '';
    expect(token.length).toBeGreaterThan(100);
    expect(await readFile(path.join(g.reportDir, 'results.json'), 'utf8')).not.toContain(token.slice(20, 60));
  });

  it('one permission less (list Deployments in lab1): that check errors with "forbidden", the rest still pass', async () => {
    const lab1 = (await lab1Roles()).namespaceRules.get('lab1')!.filter((r) => r.resources[0] !== 'deployments');
    // Re-apply the narrowed Role over the one the first test created.
    const role = id!.objects.find((o) => o.kind === 'Role')!;
    await admin.apply([{ ...role, rules: lab1.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs: r.verbs })) }]);
    const { sheet } = await gradeKubeconfigs([{ student: 'grader-less', file: id!.kubeconfig }], { reportsDir: path.join(work, 'less'), filter: '/web-deployment|files-service/' });
    const g = sheet.students[0]!;
    const dep = g.checks.find((c) => c.id === 'lab1/web-deployment')!;
    process.stdout.write(`      web-deployment ${dep.status}: ${dep.reason}\n`);
    expect(dep.status).toBe('error');
    expect(dep.earned).toBe(0);
    expect(dep.reason).toMatch(new RegExp(`forbidden: User "system:serviceaccount:${id!.namespace}:grader" cannot list deployments\\.apps in namespace "lab1"`));
    expect(g.checks.find((c) => c.id === 'lab1/files-service')?.status).toBe('pass');
  });

  it('one cluster permission less (get pods/exec, the WebSocket exec): exec checks error with "forbidden"', async () => {
    const cr = id!.objects.find((o) => o.kind === 'ClusterRole') as KubeObject & { rules?: { resources: string[]; verbs: string[] }[] };
    const rules = (cr.rules ?? []).map((r) => (r.resources[0] === 'pods/exec' ? { ...r, verbs: r.verbs.filter((v) => v !== 'get') } : r));
    await admin.apply([{ ...cr, rules }]);
    const { sheet } = await gradeKubeconfigs([{ student: 'grader-noexec', file: id!.kubeconfig }], { reportsDir: path.join(work, 'noexec'), filter: 'dns-names' });
    const c = sheet.students[0]!.checks.find((x) => x.id === 'lab1/dns-names')!;
    process.stdout.write(`      dns-names ${c.status}: ${c.reason}\n`);
    expect(c.status).toBe('error');
    expect(c.reason).toMatch(/^Pod probe \(ns kconform-lab1-\w+\): forbidden: exec needs get and create on pods\/exec/);
  });

  it('one cluster permission less (create namespaces): nothing can run, every check says why', async () => {
    const cr = id!.objects.find((o) => o.kind === 'ClusterRole') as KubeObject & { rules?: { resources: string[]; verbs: string[] }[] };
    const rules = (cr.rules ?? []).map((r) => (r.resources[0] === 'namespaces' ? { ...r, verbs: r.verbs.filter((v) => v !== 'create') } : r));
    await admin.apply([{ ...cr, rules }]);
    const { sheet } = await gradeKubeconfigs([{ student: 'grader-nons', file: id!.kubeconfig }], { reportsDir: path.join(work, 'nons'), filter: 'files-service' });
    const c = sheet.students[0]!.checks.find((x) => x.id === 'lab1/files-service')!;
    process.stdout.write(`      files-service ${c.status}: ${c.reason}\n`);
    expect(c.status).toBe('error');
    expect(c.reason).toMatch(/^suite setup failed: .*forbidden: User "system:serviceaccount:\S+:grader" cannot create namespaces at cluster scope/);
  });
});
