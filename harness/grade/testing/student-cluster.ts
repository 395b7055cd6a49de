// Builds a "student's" cluster for an assignment on the testbed: the solution's
// manifests (fixtures/assignments/<lab>/solution/), with the files of a broken
// variant (fixtures/assignments/<lab>/broken/<variant>/) replacing the
// solution's files of the same name, and the workers labelled with their role.
// Used by the grading tests and by hand:
//   npx node harness/grade/testing/student-cluster.ts --kubeconfig K [--lab lab1] [--variant wrong-selector]
// and a cluster without a CNI (which `kconform cluster up --cni none` cannot
// make yet: it waits for Ready nodes that never come):
//   npx node harness/grade/testing/student-cluster.ts --no-cni-cluster NAME [--nodes 2]
import { readdir } from 'node:fs/promises';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { loadFixture } from '../../suite/fixtures.ts';
import { templateVars } from '../../suite/template.ts';
import { probeImages } from '../../images/probe-images.ts';
import { repoPath } from '../../paths.ts';
import { kindConfig } from '../../cluster/kind/config.ts';
import { kindClusters, kindCreate, kindExportKubeconfig, kindLoad } from '../../cluster/kind/kind-cli.ts';
import { kubeconfigPathFor } from '../../cluster/kind/provider.ts';
import { cacheDir } from '../../cluster/cache.ts';
import { hostCgroupVersion } from '../../cluster/docker.ts';
import { k8sImageSet, readVersions } from '../../images/versions.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { roleOf } from '../../cluster/node-facts.ts';

export const WORKER_ROLE_LABEL = 'node-role.kubernetes.io/worker';

/** The manifest files of a variant: the solution's, with same-named files of the variant instead. */
export async function variantFiles(lab: string, variant = 'solution'): Promise<string[]> {
  const root = repoPath('fixtures', 'assignments', lab);
  const solution = (await readdir(path.join(root, 'solution'))).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (variant === 'solution' || variant === 'no-cni') return solution.map((f) => path.join(root, 'solution', f));
  const dir = path.join(root, 'broken', variant);
  const replaced = new Set((await readdir(dir).catch(() => { throw new Error(`no variant ${variant} in ${path.join(root, 'broken')}`); })).filter((f) => /\.ya?ml$/.test(f)));
  return solution.map((f) => path.join(replaced.has(f) ? dir : path.join(root, 'solution'), f));
}

/** The objects of a variant, templated as the suite's fixtures are ({{ agnhostImage }}). */
export async function variantObjects(lab: string, variant = 'solution', images = probeImages()): Promise<KubeObject[]> {
  const vars = templateVars({ namespace: lab, runId: 'student', nonce: 'student', suite: lab, agnhostImage: images.agnhost });
  const out: KubeObject[] = [];
  for (const file of await variantFiles(lab, variant)) out.push(...(await loadFixture({ file }, { suiteDir: path.dirname(file), fixturesDir: repoPath('fixtures'), vars })));
  return out;
}

/**
 * Replaces the student's namespace with the variant's objects and labels the
 * workers; returns once the variant's pods have had the chance to start (the
 * grader's checks wait for themselves).
 */
export async function applyVariant(kube: Kube, lab: string, variant = 'solution', opts: { namespace?: string; log?: (m: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const namespace = opts.namespace ?? lab;
  log(`deleting namespace ${namespace}`);
  await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, { wait: true, timeoutMs: 180_000 });
  await labelWorkers(kube);
  log(`applying ${lab} ${variant}`);
  await kube.apply(await variantObjects(lab, variant));
}

export async function labelWorkers(kube: Kube): Promise<string[]> {
  const workers = (await kube.list<NodeObject>('v1', 'Node')).filter((n) => roleOf(n) === 'worker');
  for (const n of workers) {
    if (n.metadata.labels?.[WORKER_ROLE_LABEL] === undefined) await kube.patch({ apiVersion: 'v1', kind: 'Node', name: n.metadata.name ?? '' }, { metadata: { labels: { [WORKER_ROLE_LABEL]: '' } } });
  }
  return workers.map((n) => n.metadata.name ?? '');
}

/** Waits until the variant's Deployments and Pods are as ready as they will get (all Ready, or `timeoutMs`). */
export async function settleVariant(kube: Kube, namespace: string, timeoutMs: number): Promise<boolean> {
  try {
    await kube.waitFor('v1', 'Pod', { namespace }, (pods) => {
      const ready = pods.filter((p) => ((p as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
      return { done: pods.length > 0 && ready.length === pods.length, observed: `${ready.length}/${pods.length} pods Ready` };
    }, { description: `pods of ${namespace} to be Ready`, timeoutMs });
    return true;
  } catch {
    return false;
  }
}

/**
 * A kind cluster without any CNI (nodes stay NotReady): the same config the
 * kind provider writes for `--cni none`, created without waiting for readiness.
 */
export async function createNoCniCluster(name: string, nodes = 2, log: (m: string) => void = () => {}): Promise<string> {
  const kubeconfigPath = kubeconfigPathFor(name);
  if ((await kindClusters()).includes(name)) {
    await kindExportKubeconfig(name, kubeconfigPath);
    return kubeconfigPath;
  }
  const versions = readVersions();
  const images = k8sImageSet(versions);
  const configPath = cacheDir('kind', `${name}.yaml`);
  await mkdir(path.dirname(configPath), { recursive: true });
  await mkdir(path.dirname(kubeconfigPath), { recursive: true });
  const cgroup = await hostCgroupVersion();
  await writeFile(configPath, kindConfig({ name, nodes, cri: 'containerd', disableDefaultCNI: true, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', nodeImage: images.node, kubernetesVersion: images.k8sVersion }, { cgroupV1: cgroup === '1' }));
  try {
    await kindCreate(name, configPath, kubeconfigPath, { onLine: log, signal: new AbortController().signal });
    await kindLoad(name, [images.agnhost], log);
  } catch (err) {
    await rm(kubeconfigPath, { force: true });
    throw err;
  }
  return kubeconfigPath;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      lab: { type: 'string', default: 'lab1' },
      variant: { type: 'string', default: 'solution' },
      'no-cni-cluster': { type: 'string' },
      nodes: { type: 'string', default: '2' },
    },
  });
  const log = (m: string) => process.stdout.write(`${m}\n`);
  if (values['no-cni-cluster']) {
    const kc = await createNoCniCluster(values['no-cni-cluster'], Number(values.nodes), log);
    log(`kubeconfig: ${kc}`);
  }
  if (values.kubeconfig) {
    const kube = Kube.fromKubeconfig({ kubeconfig: values.kubeconfig });
    try {
      await applyVariant(kube, values.lab!, values.variant, { log });
      log(`pods Ready: ${await settleVariant(kube, values.lab!, 120_000)}`);
    } finally {
      await kube.close();
    }
  }
}
