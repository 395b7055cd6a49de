#!/usr/bin/env node
// Entry point of `kconform`. The code is TypeScript run by Node's type stripping
// (Node >= 22.18). On an older Node (e.g. Debian's 20), re-run with the Node 24
// that `npm ci` installs from the `node` package.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, 'main.ts');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 18)) {
  const cli = await import(main);
  process.exit(await cli.main(process.argv.slice(2)));
} else {
  const bundled = join(here, '..', '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundled)) {
    process.stderr.write(`kconform needs Node.js 22.18 or newer (this is ${process.version}); run \`npm ci\` in the kconform folder to install one.\n`);
    process.exit(3);
  }
  const r = spawnSync(bundled, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 3);
}
