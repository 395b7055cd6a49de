// --cni values -> recipes.
import type { CniRecipe } from './recipe.ts';
import { flannelRecipe } from './flannel.ts';
import { calicoRecipe } from './calico.ts';
import { weaveRecipe } from './weave.ts';
import { kindnetRecipe } from './kindnet.ts';

export const CNI_CHOICES = ['flannel', 'flannel:vxlan', 'flannel:host-gw', 'calico', 'weave', 'kindnet', 'none'] as const;

/** No CNI at all: nodes stay NotReady ("no CNI installed"), which is what `--cni none` is for. */
function noneRecipe(): CniRecipe {
  return {
    id: 'none',
    name: 'none',
    version: () => '',
    disableDefaultCNI: true,
    buildableOffline: true,
    images: () => [],
    cniPlugins: [],
    agent: undefined,
    manifest: async () => [],
    pitfalls: async () => [],
  };
}

export function cniRecipe(id: string): CniRecipe {
  switch (id) {
    case 'flannel':
    case 'flannel:vxlan':
      return flannelRecipe('vxlan');
    case 'flannel:host-gw':
      return flannelRecipe('host-gw');
    case 'calico':
    case 'calico:vxlan':
      return calicoRecipe();
    case 'weave':
      return weaveRecipe();
    case 'kindnet':
      return kindnetRecipe();
    case 'none':
      return noneRecipe();
    default:
      throw new Error(`unknown CNI '${id}': expected one of ${CNI_CHOICES.join(', ')}`);
  }
}
