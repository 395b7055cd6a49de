// The example assignment graded on real testbed clusters: the solution scores
// full marks; each broken variant loses exactly the points of what it breaks,
// with the right hint; then one batch of real and unreachable kubeconfigs
// grades in one go (a cluster without a CNI among them), flags the two
// students who handed in the same cluster, and writes the score sheet.
//
// Needs the tier's cluster (>= 2 nodes, flannel) and a second cluster without a
// CNI: KCONFORM_NOCNI_CLUSTER names an existing one; otherwise
// `kconform-nocni-test` is created here and deleted at the end.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Kube } from '../kube/client.ts';
import { kindClusters, kindDelete } from '../cluster/kind/kind-cli.ts';
import type { StudentGrade } from './scores.ts';
import { discoverKubeconfigs } from './batch.ts';
import { applyVariant, createNoCniCluster, settleVariant } from './testing/student-cluster.ts';
import { gradeKubeconfigs } from './testing/grade-helpers.ts';

const kubeconfig = inject('kubeconfig');
const skipReason = inject('clusterSkipReason');

const FULL: Record<string, number> = {
  'cluster-nodes': 5, 'worker-role': 1, 'pod-network': 2, 'files-pod': 5, 'files-volume-shared': 1, 'files-service': 3,
  'files-http': 1, 'files-rpc': 1, 'files-bt': 1, 'web-deployment': 3, 'web-spread': 4, 'dns-names': 3,
};

/** Points each variant should earn where it differs from full marks. */
const EXPECTED: Record<string, Record<string, number>> = {
  solution: {},
  'wrong-selector': { 'web-spread': 0 },
  'single-container': { 'files-pod': 4, 'files-volume-shared': 0, 'files-rpc': 0, 'files-bt': 0 },
  'replicas-1': { 'web-deployment': 1, 'web-spread': 3 },
  'no-cni': { 'cluster-nodes': 2, 'pod-network': 0, 'files-pod': 3, 'files-volume-shared': 0, 'files-http': 0, 'files-rpc': 0, 'files-bt': 0, 'web-deployment': 2, 'web-spread': 0, 'dns-names': 0 },
};

function earned(g: StudentGrade): Record<string, number> {
  return Object.fromEntries(g.checks.filter((c) => !c.id.endsWith('/node-sysctls')).map((c) => [c.id.replace(/^lab1\//, ''), c.earned]));
}
const expectedFor = (variant: string) => ({ ...FULL, ...EXPECTED[variant] });
const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
const check = (g: StudentGrade, name: string) => g.checks.find((c) => c.id === `lab1/${name}`)!;

function show(variant: string, g: StudentGrade): void {
  process.stdout.write(`    ${variant}: ${g.points}/${g.max} in ${(g.durationMs / 1000).toFixed(0)}s\n`);
  for (const c of g.checks.filter((x) => x.status !== 'pass' && x.status !== 'skip')) {
    process.stdout.write(`      ${c.id} ${c.earned}/${c.max}: ${c.reason.slice(0, 160)}\n`);
    for (const h of (c.hint ?? '').split('\n').filter((l) => l.startsWith('['))) process.stdout.write(`        ${h.slice(0, 110)}\n`);
  }
}

describe.skipIf(!kubeconfig)(`lab1 graded on the testbed${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let kube: Kube;
  let work: string;
  let noCni: { name: string; kubeconfig: string; created: boolean } | undefined;

  beforeAll(async () => {
    kube = Kube.fromKubeconfig({ kubeconfig });
    work = await mkdtemp(path.join(os.tmpdir(), 'kconform-lab1-'));
  });
  afterAll(async () => {
    // Leave the tier's cluster as a correct student's (other tests may grade it).
    await applyVariant(kube, 'lab1', 'solution').catch(() => {});
    await kube?.close();
    if (noCni?.created) await kindDelete(noCni.name, noCni.kubeconfig).catch(() => {});
    await rm(work, { recursive: true, force: true });
  });

  // The broken variants are graded with --max-wait 5s: a handed-in cluster does
  // not change, so the checks that fail would only wait out their 20 s.
  async function gradeVariant(variant: string, maxWaitMs?: number): Promise<StudentGrade> {
    await applyVariant(kube, 'lab1', variant);
    await settleVariant(kube, 'lab1', 90_000);
    const { sheet } = await gradeKubeconfigs([{ student: variant, file: kubeconfig }], { reportsDir: path.join(work, variant), ...(maxWaitMs ? { maxWaitMs } : {}) });
    const g = sheet.students[0]!;
    show(variant, g);
    return g;
  }

  it('the solution scores full marks (30/30); the node diagnostic is not graded read-only', async () => {
    const g = await gradeVariant('solution');
    expect(earned(g)).toEqual(FULL);
    expect(g).toMatchObject({ outcome: 'graded', points: 30, max: 30 });
    expect(check(g, 'node-sysctls').status).toBe('skip');
  });

  it('wrong Service selector: loses the spread (4), hint "selector matches no pod"', async () => {
    const g = await gradeVariant('wrong-selector', 5_000);
    expect(earned(g)).toEqual(expectedFor('wrong-selector'));
    expect(g.points).toBe(total(expectedFor('wrong-selector')));
    expect(check(g, 'web-spread').reason).toMatch(/^Service web \(ns lab1\) has no ready endpoints: its selector app=wbe matches no pod; /);
    expect(check(g, 'web-spread').hint).toContain('[Service selector matches no pod]');
  });

  it('single-container pod: loses the container (1), the shared volume (1) and ports 6800/6880 (2)', async () => {
    const g = await gradeVariant('single-container', 5_000);
    expect(earned(g)).toEqual(expectedFor('single-container'));
    expect(g.points).toBe(26);
    expect(check(g, 'files-pod').reason).toMatch(/^Pod files \(ns lab1\): spec\.containers\[\]: expected contains \{name: downloader/);
    expect(check(g, 'files-volume-shared').reason).toBe('pod files has no container downloader (containers: fileserver)');
    expect(check(g, 'files-rpc').reason).toMatch(/^Service files \(ns lab1\) has no ready endpoints for port rpc\/6800: its pods have no container port named rpc; /);
    expect(check(g, 'files-bt').hint).toContain('[Service targetPort matches no container port]');
    expect(check(g, 'files-pod').hint).toMatch(/^The pod needs both containers/);
  });

  it('replicas 1: loses replicas and readiness of the Deployment (2) and the 3-endpoint spread (1)', async () => {
    const g = await gradeVariant('replicas-1', 5_000);
    expect(earned(g)).toEqual(expectedFor('replicas-1'));
    expect(g.points).toBe(27);
    expect(check(g, 'web-deployment').reason).toBe('Deployment web (ns lab1): spec.replicas: expected = 3, got 1 (+1 more)');
    expect(check(g, 'web-spread').reason).toMatch(/^Service web \(ns lab1\) port 80 \([\d.]+\): at least 3 ready endpoint\(s\): the Service has 1 ready endpoint\(s\): web-/);
    expect(check(g, 'web-deployment').hint).toMatch(/^Scale the Deployment to 3/);
  });

  // Needs a second (CNI-less) cluster; the default test run uses one cluster only.
  const extra = process.env.KCONFORM_EXTRA_CLUSTERS === '1';
  if (!extra) process.stdout.write('lab1 batch test skipped: it creates a second cluster; set KCONFORM_EXTRA_CLUSTERS=1 to run it\n');
  it.skipIf(!extra)('one batch: the solution twice (flagged), a cluster without a CNI, two unreachable clusters', async () => {
    const existing = process.env.KCONFORM_NOCNI_CLUSTER;
    const name = existing ?? 'kconform-nocni-test';
    const created = !(await kindClusters()).includes(name);
    noCni = { name, kubeconfig: await createNoCniCluster(name, 2), created: created && !existing };
    const nocniKube = Kube.fromKubeconfig({ kubeconfig: noCni.kubeconfig });
    try {
      await applyVariant(nocniKube, 'lab1', 'solution');
    } finally {
      await nocniKube.close();
    }
    await applyVariant(kube, 'lab1', 'solution');
    await settleVariant(kube, 'lab1', 90_000);

    const dir = path.join(work, 'kubeconfigs');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await copyFile(kubeconfig, path.join(dir, 'alice.yaml'));
    await copyFile(kubeconfig, path.join(dir, 'bob.yaml'));
    await copyFile(noCni.kubeconfig, path.join(dir, 'carol.yaml'));
    await writeFile(path.join(dir, 'dave.yaml'), (await readFile(kubeconfig, 'utf8')).replace(/server: \S+/, 'server: https://127.0.0.1:1'));
    await writeFile(path.join(dir, 'erin.yaml'), 'not a kubeconfig: [\n');
    const t0 = Date.now();
    const { sheet, files } = await gradeKubeconfigs(await discoverKubeconfigs(dir), { reportsDir: path.join(work, 'grades'), parallel: 3 });
    const secs = Math.round((Date.now() - t0) / 1000);
    process.stdout.write(`    batch of ${sheet.students.length} kubeconfigs graded in ${secs}s\n`);
    for (const s of sheet.students) process.stdout.write(`      ${s.student} ${s.points}/${s.max} ${s.flags.join('; ')} ${s.reason ?? ''}\n`);
    const by = Object.fromEntries(sheet.students.map((s) => [s.student, s]));

    expect(sheet.students.map((s) => s.student)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect([by.alice!.points, by.bob!.points]).toEqual([30, 30]);
    expect(by.alice!.flags).toEqual(['same cluster UID as bob']);
    expect(by.bob!.flags).toEqual(['same cluster UID as alice']);
    expect(by.alice!.cluster?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(by.alice!.cluster?.kubernetesVersion).toMatch(/^v1\.\d+\.\d+/);

    // No CNI: loses exactly the points that need a pod network, with the no-CNI hint.
    show('no-cni', by.carol!);
    expect(earned(by.carol!)).toEqual(expectedFor('no-cni'));
    expect(by.carol!.points).toBe(11);
    expect(check(by.carol!, 'cluster-nodes').hint).toContain('[no CNI installed]');
    expect(check(by.carol!, 'dns-names').hint).toContain('[no CNI installed]');
    expect(by.carol!.flags).toEqual([]);

    expect(by.dave).toMatchObject({ outcome: 'unreachable', points: 0, max: 30 });
    expect(by.dave!.reason).toMatch(/^cluster unreachable: cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
    expect(by.erin!.reason).toMatch(/^cluster unreachable: kubeconfig .*erin\.yaml is not valid/);

    const csv = await readFile(files[0]!, 'utf8');
    expect(csv.split('\r\n')[3]).toMatch(/^carol,11,30,36\.7,graded,,[0-9a-f-]{36},v1\./);
    const md = await readFile(files[1]!, 'utf8');
    expect(md).toMatch(/- \*\*alice, bob\*\* graded the same cluster \(UID `[0-9a-f-]{36}`\)\./);
    // Every student, reachable or not, has a JUnit and a JSON report.
    for (const s of sheet.students) expect((await readFile(path.join(s.reportDir, 'junit.xml'), 'utf8')).length).toBeGreaterThan(100);
    const carolJson = JSON.parse(await readFile(path.join(by.carol!.reportDir, 'results.json'), 'utf8')) as { suites: { checks: { name: string; hint?: string }[] }[] };
    expect(carolJson.suites[0]!.checks.find((c) => c.name === 'cluster-nodes')?.hint).toContain('[no CNI installed]');
  });
});

