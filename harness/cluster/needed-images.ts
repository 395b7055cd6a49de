// Which images a run needs: the node image and the CNI's (for a kind cluster), the
// probe image, and every container image named in the suites' fixtures.
import type { LoadedSuite } from '../suite/load.ts';
import { loadFixture } from '../suite/fixtures.ts';
import { templateVars } from '../suite/template.ts';
import type { KubeObject } from '../kube/types.ts';
import { cniRecipe } from './cni/index.ts';
import { k8sImageSet, readVersions } from '../images/versions.ts';
import { repoPath } from '../paths.ts';

export interface NeededImage {
  image: string;
  why: string;
}

export function containerImages(o: KubeObject): string[] {
  // Pods, and the pod template of every workload kind.
  const spec = (o.kind === 'Pod' ? o.spec : (o.spec as { template?: { spec?: unknown }; jobTemplate?: { spec?: { template?: { spec?: unknown } } } } | undefined)?.template?.spec ??
    (o.spec as { jobTemplate?: { spec?: { template?: { spec?: unknown } } } } | undefined)?.jobTemplate?.spec?.template?.spec) as
    | { containers?: { image?: string }[]; initContainers?: { image?: string }[] }
    | undefined;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image).filter((i): i is string => !!i);
}

export async function neededImages(opts: { suites: LoadedSuite[]; cluster?: { cni: string; cri: 'containerd' | 'docker'; kubernetesVersion?: string; nodeImage?: string } }): Promise<NeededImage[]> {
  const versions = readVersions();
  const set = k8sImageSet(versions, opts.cluster?.kubernetesVersion);
  const out = new Map<string, string>();
  const add = (image: string, why: string) => {
    if (!out.has(image)) out.set(image, why);
  };
  if (opts.cluster) {
    add(opts.cluster.nodeImage ?? (opts.cluster.cri === 'docker' ? set.nodeDocker : set.node), `kind node image (${opts.cluster.cri})`);
    for (const i of cniRecipe(opts.cluster.cni).images(versions)) add(i, `CNI ${opts.cluster.cni}`);
  }
  add(set.agnhost, 'probe pods of the built-in checks');
  for (const s of opts.suites) {
    const vars = templateVars({ namespace: 'ns', runId: 'list', nonce: 'list', suite: s.suite.name, agnhostImage: set.agnhost }, s.suite.vars ?? {});
    for (const f of s.suite.fixtures ?? []) {
      for (const o of await loadFixture(f, { suiteDir: s.dir, fixturesDir: repoPath('fixtures'), vars })) {
        for (const i of containerImages(o)) add(i, `fixture of suite ${s.suite.name}`);
      }
    }
  }
  return [...out].map(([image, why]) => ({ image, why }));
}
