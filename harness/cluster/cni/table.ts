// One record per CNI: everything kconform knows about it. The CLI's --cni
// choices, the suite schema, the CNI detection of the shape reader and the matrix
// order are derived from the records' data, which lives in suite/cni-data.ts so the
// suite layer can validate against it; this module adds each CNI's recipe. Adding
// a CNI: one entry in suite/cni-data.ts, its recipe module (manifest renderer,
// images, pitfalls) and its line in RECIPES here.
import type { CniRecipe } from './recipe.ts';
import { CNI_DATA, type CniData, type CniName } from '../../suite/cni-data.ts';
import { flannelRecipe } from './flannel.ts';
import { calicoRecipe } from './calico.ts';
import { weaveRecipe } from './weave.ts';
import { kindnetRecipe } from './kindnet.ts';
import { kubeRouterRecipe } from './kube-router.ts';

export type { RoutingMode, CniName } from '../../suite/cni-data.ts';
export { CNI_CHOICES, MATRIX_CNIS, CNI_NAMES, CNI_AGENT_NAMESPACES, routingModeOf } from '../../suite/cni-data.ts';

/** A CNI's data (suite/cni-data.ts) plus how kconform installs it. */
export interface CniRecord extends CniData {
  /** The recipe of a variant: images, manifest renderer, pitfalls. */
  recipe?: (choice: string) => CniRecipe;
}

/** Recipes of the CNIs kconform can install, by name. */
const RECIPES: Partial<Record<CniName, (choice: string) => CniRecipe>> = {
  flannel: (choice) => flannelRecipe(choice === 'flannel:host-gw' ? 'host-gw' : 'vxlan'),
  'kube-router': () => kubeRouterRecipe(),
  calico: () => calicoRecipe(),
  weave: () => weaveRecipe(),
  kindnet: () => kindnetRecipe(),
};

export const CNI_TABLE: readonly CniRecord[] = CNI_DATA.map((r) => {
  const recipe = RECIPES[r.name];
  return recipe ? { ...r, recipe } : r;
});

export function cniRecord(nameOrChoice: string): CniRecord | undefined {
  return CNI_TABLE.find((r) => r.name === nameOrChoice || r.variants.some((v) => v.choice === nameOrChoice));
}
