// flannel (VXLAN by default, host-gw on request): its image is built by the
// offline builder; its CNI plugins (flannel, bridge, ...) come from the node image.
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import { diagnoseCni, type PitfallSpec } from './diagnose.ts';
import type { CniAgent, CniRecipe } from './recipe.ts';
import { renderCniManifest } from './render.ts';

export const FLANNEL_AGENT: CniAgent = { namespace: 'kube-flannel', labelSelector: 'app=flannel', nodeAnnotation: 'flannel.alpha.coreos.com/public-ip' };

// Known fix: flannel delegates to the `bridge` plugin, which kindest/node does not
// carry (kconform/node does). The kind provider copies missing ones from --cni-plugins-dir.
export const FLANNEL_NODE_PLUGINS = ['flannel', 'bridge', 'host-local', 'portmap', 'loopback'];

function pitfallSpec(backend: 'vxlan' | 'host-gw'): PitfallSpec {
  return {
    recipe: backend === 'vxlan' ? 'flannel' : `flannel (${backend})`,
    agent: FLANNEL_AGENT,
    nodePlugins: FLANNEL_NODE_PLUGINS,
    agentInstalls: [],
    nodePodCidrRequired: true,
    configuredRange: flannelNetwork,
    logPatterns: [
      {
        re: /pod cidr not assigned|failed to acquire lease|node .* has no podCIDR/i,
        name: 'node-pod-cidr-missing',
        fix: 'flanneld --kube-subnet-mgr takes each node\'s spec.podCIDR: run kube-controller-manager with --allocate-node-cidrs and --cluster-cidr = the pod subnet',
      },
      {
        re: backend === 'vxlan' ? /vxlan.*(operation not supported|not supported|no such device)|failed to create VXLAN/i : /host-gw.*(not on the same|different subnet)|error adding route/i,
        name: `flannel-${backend}-backend`,
        fix:
          backend === 'vxlan'
            ? 'the VXLAN backend needs the vxlan kernel module on every node (modprobe vxlan on the host)'
            : 'host-gw routes pod subnets straight to node IPs: every node must be on one L2 network (use the vxlan backend otherwise)',
      },
      {
        re: /Error registering network|failed to register network/i,
        name: 'flannel-network-config',
        fix: 'check net-conf.json in ConfigMap kube-flannel/kube-flannel-cfg: Network must be the pod subnet, Backend.Type vxlan or host-gw',
      },
    ],
  };
}

/** The Network flanneld was given (net-conf.json in its ConfigMap). */
async function flannelNetwork(kube: Kube): Promise<{ value: string; source: string } | undefined> {
  const cm = await kube.get<KubeObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-flannel', name: 'kube-flannel-cfg' });
  const text = cm?.data?.['net-conf.json'];
  if (!text) return undefined;
  const network = (JSON.parse(text) as { Network?: string }).Network;
  return network ? { value: network, source: 'flannel net-conf.json Network (ConfigMap kube-flannel/kube-flannel-cfg)' } : undefined;
}

export function flannelRecipe(backend: 'vxlan' | 'host-gw'): CniRecipe {
  const spec = pitfallSpec(backend);
  return {
    id: backend === 'vxlan' ? 'flannel' : `flannel:${backend}`,
    name: 'flannel',
    version: (v) => v.FLANNEL_VERSION ?? 'v0.28.4',
    disableDefaultCNI: true,
    buildableOffline: true,
    images: (v) => [`${v.FLANNEL_IMAGE_REPO ?? 'ghcr.io/flannel-io/flannel'}:${v.FLANNEL_VERSION ?? 'v0.28.4'}`],
    cniPlugins: FLANNEL_NODE_PLUGINS,
    agent: FLANNEL_AGENT,
    ...(backend === 'host-gw' ? { notes: 'host-gw routes pod subnets to node IPs directly: all nodes must share one L2 network (true for kind).' } : {}),
    manifest: ({ podSubnet, versions }) =>
      renderCniManifest('flannel/flannel.yaml', {
        POD_SUBNET: podSubnet,
        FLANNEL_BACKEND: backend,
        FLANNEL_IMAGE: `${versions.FLANNEL_IMAGE_REPO ?? 'ghcr.io/flannel-io/flannel'}:${versions.FLANNEL_VERSION ?? 'v0.28.4'}`,
      }),
    pitfalls: (ctx) => diagnoseCni(spec, ctx),
  };
}
