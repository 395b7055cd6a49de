// weave 2.8.1, the last upstream release: weaveworks/weave is archived upstream
// (no fixes, no newer images). Kept for course clusters that still run it.
// Its images cannot be built here (not served): registry, mirror or bundle.
import { daemonSetEnv, diagnoseCni, type PitfallSpec } from './diagnose.ts';
import type { CniRecipe } from './recipe.ts';
import { renderCniManifest } from './render.ts';

/** The last weave release (versions.env WEAVE_VERSION overrides). */
export const WEAVE_VERSION = '2.8.1';
export const WEAVE_AGENT = { namespace: 'kube-system', labelSelector: 'name=weave-net' };
export const WEAVE_NOTES = 'weave is ARCHIVED upstream (weaveworks/weave); 2.8.1 is its last release and gets no fixes';

export function weaveImages(version: string): { kube: string; npc: string } {
  return { kube: `docker.io/weaveworks/weave-kube:${version}`, npc: `docker.io/weaveworks/weave-npc:${version}` };
}

const spec: PitfallSpec = {
  recipe: 'weave',
  agent: WEAVE_AGENT,
  nodePlugins: ['portmap', 'loopback'],
  agentInstalls: ['weave-net', 'weave-ipam'],
  nodePodCidrRequired: false,
  configuredRange: async (kube) => {
    const value = await daemonSetEnv(kube, { namespace: 'kube-system', name: 'weave-net', container: 'weave', env: 'IPALLOC_RANGE' });
    return { value: value ?? '10.32.0.0/12', source: value ? 'weave IPALLOC_RANGE' : 'weave IPALLOC_RANGE (unset: weave\'s default)' };
  },
  logPatterns: [
    {
      re: /overlaps with existing route|overlaps with .* on host/i,
      name: 'ip-range-overlap',
      fix: 'IPALLOC_RANGE overlaps a network the node already routes (the Docker/kind network?): choose a pod subnet that does not',
    },
    {
      re: /"?xt_set"? does not exist|ipset v\d.*(Kernel error|not supported)/i,
      name: 'kernel-module-missing',
      fix: 'weave-npc needs ipset and the xt_set netfilter module in the host kernel',
    },
    {
      re: /Failed to get peers|Unable to fetch peers/i,
      name: 'weave-peers-unavailable',
      fix: 'weave lists its peers (the nodes) from the API server: check the weave-net ClusterRole binding and that kube-proxy runs',
    },
    {
      re: /iptables.*(Couldn't load target|No chain\/target\/match)/i,
      name: 'iptables-backend',
      fix: 'weave found iptables rules in another backend (legacy vs nft) than the node uses: set IPTABLES_BACKEND on the weave container',
    },
  ],
};

export function weaveRecipe(): CniRecipe {
  return {
    id: 'weave',
    name: 'weave',
    version: (v) => v.WEAVE_VERSION ?? WEAVE_VERSION,
    disableDefaultCNI: true,
    buildableOffline: false,
    notes: WEAVE_NOTES,
    images: (v) => Object.values(weaveImages(v.WEAVE_VERSION ?? WEAVE_VERSION)),
    cniPlugins: spec.nodePlugins,
    agent: WEAVE_AGENT,
    manifest: ({ podSubnet, versions }) => {
      const img = weaveImages(versions.WEAVE_VERSION ?? WEAVE_VERSION);
      return renderCniManifest('weave/weave.yaml', { POD_SUBNET: podSubnet, WEAVE_KUBE_IMAGE: img.kube, WEAVE_NPC_IMAGE: img.npc });
    },
    pitfalls: (ctx) => diagnoseCni(spec, ctx),
  };
}
