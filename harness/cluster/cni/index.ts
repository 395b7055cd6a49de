// --cni values -> recipes.
import type { CniRecipe } from './recipe.ts';
import { flannelRecipe } from './flannel.ts';

export const CNI_CHOICES = ['flannel', 'flannel:host-gw', 'none'] as const;

export function cniRecipe(id: string): CniRecipe {
  switch (id) {
    case 'flannel':
    case 'flannel:vxlan':
      return flannelRecipe('vxlan');
    case 'flannel:host-gw':
      return flannelRecipe('host-gw');
    case 'none':
      return { id: 'none', name: 'none', disableDefaultCNI: true, buildableOffline: true, images: () => [], agent: undefined, manifest: async () => [] };
    default:
      throw new Error(`unknown CNI '${id}': expected one of ${CNI_CHOICES.join(', ')}`);
  }
}
