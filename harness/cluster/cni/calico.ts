// calico, operator-free: VXLAN always, IPIP never, pool = the pod subnet,
// Kubernetes datastore. Its images cannot be built here (not served): they come
// from a registry, a mirror, or a bundle the user imports.
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { daemonSetEnv, diagnoseCni, type PitfallSpec } from './diagnose.ts';
import { sameCidr } from './pitfalls.ts';
import type { CniRecipe, Pitfall } from './recipe.ts';
import { renderCniManifest } from './render.ts';

/** The calico release this recipe is written for (versions.env CALICO_VERSION overrides). */
export const CALICO_VERSION = 'v3.30.7';
export const CALICO_AGENT = { namespace: 'kube-system', labelSelector: 'k8s-app=calico-node' };

export function calicoImages(version: string): { cni: string; node: string; controllers: string } {
  return {
    cni: `docker.io/calico/cni:${version}`,
    node: `docker.io/calico/node:${version}`,
    controllers: `docker.io/calico/kube-controllers:${version}`,
  };
}

export interface CalicoPool extends KubeObject {
  spec?: { cidr?: string; vxlanMode?: string; ipipMode?: string; disabled?: boolean };
}

/** What is wrong with calico's IP pools for a VXLAN cluster on this pod subnet. */
export function calicoPoolPitfalls(pools: CalicoPool[], podSubnet: string): Pitfall[] {
  const out: Pitfall[] = [];
  const active = pools.filter((p) => !p.spec?.disabled && p.spec?.cidr && !p.spec.cidr.includes(':'));
  for (const p of active) {
    const cidr = p.spec?.cidr ?? '';
    if (sameCidr(cidr, podSubnet) === false) {
      out.push({
        name: 'pod-cidr-mismatch',
        detail: `calico IPPool ${p.metadata.name} is ${cidr} but the cluster's pod subnet is ${podSubnet}`,
        fix: 'calico creates its pool from CALICO_IPV4POOL_CIDR once, at first start: render the manifest with the pod subnet and recreate the cluster',
      });
    }
    const ipip = p.spec?.ipipMode ?? 'Never';
    if (ipip !== 'Never') {
      out.push({
        name: 'calico-ipip',
        detail: `calico IPPool ${p.metadata.name} has ipipMode ${ipip}`,
        fix: 'IPIP needs the ipip kernel module, which many hosts (kconform\'s testbed too) lack: use vxlanMode Always and ipipMode Never',
      });
    }
    const vxlan = p.spec?.vxlanMode ?? 'Never';
    if (vxlan === 'Never' && ipip === 'Never') {
      out.push({
        name: 'calico-no-encapsulation',
        detail: `calico IPPool ${p.metadata.name} has neither VXLAN nor IPIP: cross-node pod traffic needs BGP, which this recipe does not run`,
        fix: 'set vxlanMode Always (CALICO_IPV4POOL_VXLAN=Always) before calico-node first starts',
      });
    }
  }
  return out;
}

async function calicoPools(kube: Kube): Promise<CalicoPool[]> {
  return await kube.list<CalicoPool>('crd.projectcalico.org/v1', 'IPPool').catch(() => []);
}

const spec: PitfallSpec = {
  recipe: 'calico',
  agent: CALICO_AGENT,
  // calico's install program copies its own plugins (portmap included); the
  // CRI still needs loopback from the node image.
  nodePlugins: ['loopback'],
  agentInstalls: ['calico', 'calico-ipam', 'portmap'],
  nodePodCidrRequired: false,
  configuredRange: async (kube) => {
    const value = await daemonSetEnv(kube, { namespace: 'kube-system', name: 'calico-node', container: 'calico-node', env: 'CALICO_IPV4POOL_CIDR' });
    return value ? { value, source: 'calico-node CALICO_IPV4POOL_CIDR' } : undefined;
  },
  logPatterns: [
    {
      re: /RPF check|rp_filter/i,
      name: 'rp-filter-loose',
      fix: 'felix refuses a loose rp_filter: set FELIX_IGNORELOOSERPF=true (kconform\'s manifest does) or sysctl net.ipv4.conf.all.rp_filter=1 on the host',
    },
    {
      re: /Failed to create datastore client|Failed to initialize datastore|dial tcp 10\.96\.0\.1:443|connection refused.*:443/i,
      name: 'calico-datastore-unreachable',
      fix: 'calico reaches the API server through the kubernetes Service: kube-proxy must run on the node, and the service subnet must not overlap the pod subnet',
    },
    {
      re: /Unable to auto-detect an IPv4 address|Couldn't autodetect an IPv4 address/i,
      name: 'calico-ip-autodetect',
      fix: 'set IP_AUTODETECTION_METHOD on calico-node (e.g. interface=eth0)',
    },
    {
      re: /vxlan.*(operation not supported|not supported|failed to create)/i,
      name: 'vxlan-unavailable',
      fix: 'VXLAN needs the vxlan kernel module on every node',
    },
    {
      re: /ipip.*(not supported|failed)|tunl0/i,
      name: 'calico-ipip',
      fix: 'this host has no ipip module: keep CALICO_IPV4POOL_IPIP=Never',
    },
  ],
};

export function calicoRecipe(): CniRecipe {
  return {
    id: 'calico',
    name: 'calico',
    version: (v) => v.CALICO_VERSION ?? CALICO_VERSION,
    disableDefaultCNI: true,
    buildableOffline: false,
    notes: 'operator-free calico: calico-node + calico-kube-controllers, Kubernetes datastore, VXLAN (IPIP off), pool = pod subnet',
    images: (v) => Object.values(calicoImages(v.CALICO_VERSION ?? CALICO_VERSION)),
    cniPlugins: spec.nodePlugins,
    agent: CALICO_AGENT,
    manifest: async ({ podSubnet, versions }) => {
      const img = calicoImages(versions.CALICO_VERSION ?? CALICO_VERSION);
      // CRDs first: calico-node watches every one of them from its first second.
      const crds = await renderCniManifest('calico/crds.yaml', {});
      const rest = await renderCniManifest('calico/calico.yaml', {
        POD_SUBNET: podSubnet,
        CALICO_CNI_IMAGE: img.cni,
        CALICO_NODE_IMAGE: img.node,
        CALICO_CONTROLLERS_IMAGE: img.controllers,
      });
      return [...crds, ...rest];
    },
    pitfalls: async (ctx) => [...(await diagnoseCni(spec, ctx)), ...calicoPoolPitfalls(await calicoPools(ctx.kube), ctx.podSubnet)],
  };
}
