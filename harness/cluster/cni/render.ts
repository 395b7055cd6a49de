// Renders a CNI manifest template from fixtures/cni: ${NAME} placeholders, each
// one required, so a missing value is an error and not an empty string.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../kube/types.ts';
import { repoPath } from '../../paths.ts';

export function substitute(text: string, values: Record<string, string>, origin: string): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${origin}: no value for \${${name}} (known: ${Object.keys(values).join(', ')})`);
    return v;
  });
}

export async function renderCniManifest(relPath: string, values: Record<string, string>): Promise<KubeObject[]> {
  const file = repoPath('fixtures', 'cni', relPath);
  const text = substitute(await readFile(file, 'utf8'), values, `fixtures/cni/${relPath}`);
  const docs = parseAllDocuments(text);
  const out: KubeObject[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`fixtures/cni/${relPath}: ${d.errors[0]?.message}`);
    const o = d.toJS() as KubeObject | null;
    if (o) out.push(o);
  }
  return out;
}
