// Shared by the grading cluster tests: grade one kubeconfig (or a folder) the
// way `kconform grade` does, and make a grader identity from printed RBAC (a
// ServiceAccount, its roles, a TokenRequest token, a kubeconfig file).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { loadSuites } from '../../suite/load.ts';
import { buildPlan } from '../../plan/plan.ts';
import { probeImages } from '../../images/probe-images.ts';
import { repoPath } from '../../paths.ts';
import { getCheck } from '../../checks/registry.ts';
import { gradeBatch, type BatchResult, type StudentConfig } from '../batch.ts';
import { planColumns } from '../plan-columns.ts';
import { mergeNeeds, needsOfPlan, renderRbacYaml, type Roles } from '../rbac.ts';

export const LAB1 = repoPath('suites/assignments/lab1');

export async function gradeKubeconfigs(kubeconfigs: StudentConfig[], opts: { reportsDir: string; filter?: string; parallel?: number; readOnly?: boolean; maxWaitMs?: number }): Promise<BatchResult> {
  return gradeBatch({
    suites: await loadSuites([LAB1]),
    kubeconfigs,
    reportsDir: opts.reportsDir,
    parallel: opts.parallel ?? 1,
    clusterTimeoutMs: 10 * 60_000,
    readOnly: opts.readOnly ?? true,
    evidence: 'failure',
    fixturesDir: repoPath('fixtures'),
    images: probeImages(),
    ...(opts.filter ? { filter: opts.filter } : {}),
    ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
    signal: new AbortController().signal,
    progress: (l) => process.stdout.write(`      ${l}\n`),
  });
}

/** The roles `kconform rbac suites/assignments/lab1` prints (read-only). */
export async function lab1Roles(): Promise<Roles> {
  const plan = await buildPlan({ suites: await loadSuites([LAB1]), runId: 'rbac', nonce: 'rbac', options: { parallel: 1, keep: 'never', readOnly: true, evidence: 'failure' }, fixturesDir: repoPath('fixtures'), images: probeImages() });
  const skipped = new Set(planColumns(plan, (s) => getCheck(s.kind).needs(s)).filter((c) => c.skipReason).map((c) => c.id));
  return mergeNeeds(needsOfPlan(plan, skipped).needs);
}

export interface GraderIdentity {
  namespace: string;
  serviceAccount: string;
  kubeconfig: string;
  /** Objects applied for it (roles, bindings), to re-apply or delete. */
  objects: KubeObject[];
  close(): Promise<void>;
}

/**
 * A ServiceAccount bound to `roles` (rendered by renderRbacYaml, as a grader
 * would apply them), a token from the TokenRequest API, and a kubeconfig that
 * uses only that token.
 */
export async function graderIdentity(admin: Kube, adminKubeconfig: string, roles: Roles, name: string): Promise<GraderIdentity> {
  const namespace = `kconform-t-${name}-${Math.random().toString(16).slice(2, 8)}`;
  const serviceAccount = 'grader';
  await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'kconform', 'kconform.io/run': 'test' } } });
  await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace } });
  const roleName = `kconform-grader-${namespace.slice(-6)}`;
  const yaml = renderRbacYaml(roles, { name: roleName, subject: { kind: 'ServiceAccount', namespace, name: serviceAccount }, suites: ['lab1'], unknownKinds: [] });
  const objects = yaml.split(/^---$/m).slice(1).map((d) => parse(d) as KubeObject);
  await admin.apply(objects);

  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('admin kubeconfig has no current cluster');
  const token = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-grader-'));
  const kubeconfig = path.join(dir, `${name}.yaml`);
  const ca = cluster.caData ? `    certificate-authority-data: ${cluster.caData}\n` : cluster.caFile ? `    certificate-authority: ${cluster.caFile}\n` : '';
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${cluster.server}\n${ca}users:\n- name: grader\n  user:\n    token: ${token.status?.token ?? ''}\ncontexts:\n- name: grader\n  context:\n    cluster: c\n    user: grader\ncurrent-context: grader\n`,
  );
  await chmod(kubeconfig, 0o600);
  return {
    namespace,
    serviceAccount,
    kubeconfig,
    objects,
    close: async () => {
      for (const o of objects.reverse()) await admin.delete({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '', ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }).catch(() => {});
      await admin.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, { wait: true, timeoutMs: 120_000 }).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
