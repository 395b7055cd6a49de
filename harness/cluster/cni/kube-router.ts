// kube-router: pod routes over BGP (GoBGP, iBGP full mesh, no tunnel) and
// NetworkPolicy with iptables + ipset; kube-proxy stays the Service proxy. Its
// image (with ipset, iptables, ip, conntrack and the gobgp CLI) is built by the
// offline builder (`build.sh --cni kube-router`) and loaded into the nodes.
import { daemonSetEnv, diagnoseCni, type PitfallSpec } from './diagnose.ts';
import type { CniRecipe } from './recipe.ts';
import { renderCniManifest } from './render.ts';
import type { Versions } from '../../images/versions.ts';

export const KUBE_ROUTER_AGENT = { namespace: 'kube-router', labelSelector: 'app=kube-router' };
export const KUBE_ROUTER_NODE_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'];

export function kubeRouterImage(v: Versions): string {
  return `${v.KUBE_ROUTER_IMAGE_REPO ?? 'docker.io/cloudnativelabs/kube-router'}:${v.KUBE_ROUTER_VERSION ?? 'v2.1.0'}`;
}

const spec: PitfallSpec = {
  recipe: 'kube-router',
  agent: KUBE_ROUTER_AGENT,
  nodePlugins: KUBE_ROUTER_NODE_PLUGINS,
  agentInstalls: [],
  nodePodCidrRequired: true,
  configuredRange: async (kube) => {
    const value = await daemonSetEnv(kube, { namespace: 'kube-router', name: 'kube-router', container: 'kube-router', env: 'POD_SUBNET' });
    return value ? { value, source: 'kube-router POD_SUBNET' } : undefined;
  },
  logPatterns: [
    {
      re: /Failed to get pod CIDR from node spec/i,
      name: 'node-pod-cidr-missing',
      fix: 'kube-router routes each node\'s spec.podCIDR: run kube-controller-manager with --allocate-node-cidrs and --cluster-cidr = the pod subnet',
    },
    {
      re: /CNI conf file .* does not exist/i,
      name: 'cni-config-missing',
      fix: 'kube-router reads the CNI chain named by KUBE_ROUTER_CNI_CONF_FILE (default /etc/cni/net.d/10-kuberouter.conf): the init container must write it there',
    },
    {
      re: /exec: "ipset": executable file not found|ipset: command not found/i,
      name: 'kube-router-ipset-missing',
      fix: 'kube-router shells out to ipset: its image must carry it (kconform\'s kube-router image does; Debian package ipset)',
    },
    {
      re: /is forbidden: User "system:serviceaccount:kube-router/i,
      name: 'kube-router-rbac',
      fix: 'kube-router watches nodes, pods, namespaces, services, endpoints, endpointslices and networkpolicies: its ClusterRole must allow get/list/watch on each',
    },
  ],
};

export function kubeRouterRecipe(): CniRecipe {
  return {
    id: 'kube-router',
    name: 'kube-router',
    version: (v) => v.KUBE_ROUTER_VERSION ?? 'v2.1.0',
    disableDefaultCNI: true,
    buildableOffline: true,
    notes: 'routes pod CIDRs over BGP without a tunnel (all nodes on one L2 network) and enforces NetworkPolicy; kube-proxy stays',
    images: (v) => [kubeRouterImage(v)],
    cniPlugins: KUBE_ROUTER_NODE_PLUGINS,
    agent: KUBE_ROUTER_AGENT,
    manifest: ({ podSubnet, versions }) => renderCniManifest('kube-router/kube-router.yaml', { POD_SUBNET: podSubnet, KUBE_ROUTER_IMAGE: kubeRouterImage(versions) }),
    pitfalls: (ctx) => diagnoseCni(spec, ctx),
  };
}
