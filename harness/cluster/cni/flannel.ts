import type { CniRecipe } from './recipe.ts';
import { renderCniManifest } from './render.ts';

export function flannelRecipe(backend: 'vxlan' | 'host-gw'): CniRecipe {
  return {
    id: backend === 'vxlan' ? 'flannel' : `flannel:${backend}`,
    name: 'flannel',
    disableDefaultCNI: true,
    buildableOffline: true,
    images: (v) => [`${v.FLANNEL_IMAGE_REPO}:${v.FLANNEL_VERSION}`],
    agent: { namespace: 'kube-flannel', labelSelector: 'app=flannel' },
    manifest: ({ podSubnet, versions }) =>
      renderCniManifest('flannel/flannel.yaml', {
        POD_SUBNET: podSubnet,
        FLANNEL_BACKEND: backend,
        FLANNEL_IMAGE: `${versions.FLANNEL_IMAGE_REPO}:${versions.FLANNEL_VERSION}`,
      }),
  };
}
