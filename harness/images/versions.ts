// Reads harness/images/versions.env (KEY=VALUE lines), the one place versions are pinned.
import { readFileSync } from 'node:fs';
import { repoPath } from '../paths.ts';

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1]!] = m[2]!.replace(/\s+#.*$/, '').replace(/^["']|["']$/g, '');
  }
  return out;
}

export function readVersions(file = repoPath('harness', 'images', 'versions.env')): Record<string, string> {
  try {
    return parseEnvFile(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
