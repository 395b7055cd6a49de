// kindnet, kind's default CNI, applied by kconform from its own manifest (the
// node image's /kind/manifests/default-cni.yaml is not used: kconform's node
// images have none). Its image cannot be built here: registry, mirror or bundle.
import { daemonSetEnv, diagnoseCni, type PitfallSpec } from './diagnose.ts';
import type { CniRecipe } from './recipe.ts';
import { renderCniManifest } from './render.ts';

/** The kindnetd image kind v0.33.0 ships (versions.env KINDNET_IMAGE overrides). */
export const KINDNET_IMAGE = 'docker.io/kindest/kindnetd:v20260820-69b56db7';
export const KINDNET_AGENT = { namespace: 'kube-system', labelSelector: 'app=kindnet' };

const spec: PitfallSpec = {
  recipe: 'kindnet',
  agent: KINDNET_AGENT,
  // kindnetd writes a ptp + host-local + portmap chain but installs no plugin.
  nodePlugins: ['ptp', 'host-local', 'portmap', 'loopback'],
  agentInstalls: [],
  nodePodCidrRequired: true,
  configuredRange: async (kube) => {
    const value = await daemonSetEnv(kube, { namespace: 'kube-system', name: 'kindnet', container: 'kindnet-cni', env: 'POD_SUBNET' });
    return value ? { value, source: 'kindnet POD_SUBNET' } : undefined;
  },
  logPatterns: [
    {
      re: /missing environment variable (POD_SUBNET|HOST_IP|POD_IP)/i,
      name: 'kindnet-config',
      fix: 'kindnetd needs HOST_IP, POD_IP (downward API) and POD_SUBNET in its environment',
    },
    {
      re: /(Failed to (get|list) nodes|failed to connect to the API server|dial tcp .*:6443)/i,
      name: 'kindnet-api-unreachable',
      fix: 'kindnetd reaches the API server at CONTROL_PLANE_ENDPOINT (the control-plane container, port 6443) before kube-proxy runs: check that value',
    },
  ],
};

export function kindnetRecipe(): CniRecipe {
  return {
    id: 'kindnet',
    name: 'kindnet',
    version: (v) => (v.KINDNET_IMAGE ?? KINDNET_IMAGE).split(':').pop() ?? '',
    disableDefaultCNI: true,
    buildableOffline: false,
    notes: 'kind\'s own CNI, applied by kconform (not from the node image); needs ptp, host-local, portmap and loopback in /opt/cni/bin',
    images: (v) => [v.KINDNET_IMAGE ?? KINDNET_IMAGE],
    cniPlugins: spec.nodePlugins,
    agent: KINDNET_AGENT,
    manifest: async ({ podSubnet, versions, controlPlaneEndpoint }) => {
      if (!controlPlaneEndpoint) throw new Error('kindnet needs the API server endpoint its pods reach without kube-proxy (host:port of the control-plane node)');
      return await renderCniManifest('kindnet/kindnet.yaml', {
        POD_SUBNET: podSubnet,
        KINDNET_IMAGE: versions.KINDNET_IMAGE ?? KINDNET_IMAGE,
        CONTROL_PLANE_ENDPOINT: controlPlaneEndpoint,
      });
    },
    pitfalls: (ctx) => diagnoseCni(spec, ctx),
  };
}
