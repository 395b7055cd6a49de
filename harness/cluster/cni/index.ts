// --cni values -> recipes, from the CNI table (table.ts).
import type { CniRecipe } from './recipe.ts';
import { CNI_CHOICES, CNI_TABLE } from './table.ts';

export { CNI_CHOICES } from './table.ts';

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
  if (id === 'none') return noneRecipe();
  const record = CNI_TABLE.find((r) => r.recipe && r.variants.some((v) => v.choice === id));
  if (!record?.recipe) throw new Error(`unknown CNI '${id}': expected one of ${CNI_CHOICES.join(', ')}`);
  return record.recipe(id);
}
