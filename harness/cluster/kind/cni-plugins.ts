// Known fix shared by several recipes: the CNI plugins a CNI delegates to
// (flannel -> bridge; kindnet -> ptp) are not in every node image (kindest/node
// has no bridge and no flannel). Missing ones are copied into the nodes from a
// host folder before the CNI is applied; what cannot be provided is a named
// pitfall at once, not a NotReady timeout later.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../cache.ts';
import { readNodeFiles } from '../cni/diagnose.ts';
import { missingFromListing, nodePluginPitfalls } from '../cni/pitfalls.ts';
import type { NodeShell, Pitfall } from '../cni/recipe.ts';
import { copyExecutableToNode } from './node-shell.ts';

/** --cni-plugins-dir, else $KCONFORM_CNI_PLUGINS_DIR, else the offline builder's output. */
export function defaultCniPluginsDir(): string | undefined {
  if (process.env.KCONFORM_CNI_PLUGINS_DIR) return process.env.KCONFORM_CNI_PLUGINS_DIR;
  const root = cacheDir('out', 'cni-plugins');
  if (!existsSync(root)) return undefined;
  // The builder keys each output by a hash; take the newest complete one.
  const done = readdirSync(root)
    .map((k) => path.join(root, k))
    .filter((d) => existsSync(path.join(d, '.ok')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return done[0];
}

export async function provideCniPlugins(
  nodes: NodeShell[],
  required: string[],
  sourceDir: string | undefined,
  onLine: (l: string) => void,
): Promise<Pitfall[]> {
  if (!required.length || !nodes.length) return [];
  const files = await readNodeFiles(nodes);
  for (const f of files) {
    if (f.cniBin === undefined) continue;
    const missing = missingFromListing(required, f.cniBin);
    const copied: string[] = [];
    for (const plugin of missing) {
      const src = sourceDir ? path.join(sourceDir, plugin) : undefined;
      if (!src || !existsSync(src)) continue;
      await copyExecutableToNode(f.node, src, `/opt/cni/bin/${plugin}`);
      copied.push(plugin);
    }
    if (copied.length) {
      onLine(`${f.node}: copied CNI plugin(s) ${copied.join(', ')} from ${sourceDir}`);
      f.cniBin = [...f.cniBin.split('\n'), ...copied].join('\n');
    }
  }
  return nodePluginPitfalls(required, files).map((p) => ({
    ...p,
    fix: `${p.fix}; or give a folder holding these binaries with --cni-plugins-dir (or KCONFORM_CNI_PLUGINS_DIR)`,
  }));
}
