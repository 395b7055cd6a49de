#!/bin/sh
':' //; n="$(dirname "$(readlink -f "$0")")/../../node_modules/node/bin/node"; [ -x "$n" ] || n=node; exec "$n" --max-semi-space-size=2 "$0" "$@"
// Entry point of `kconform`. The code is TypeScript run by Node's type stripping
// (Node >= 22.18). The line above is read by sh when this file is run as a program
// and is a string and a comment to JavaScript: sh starts the Node 24 that `npm ci`
// installs from the `node` package (or the `node` on PATH when there is none), so a
// machine whose own Node is older (Debian's 20) does not start two Nodes.
// Run by an old Node directly (`node bin.js`), it re-runs itself with that Node 24.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// A small young generation (V8's default grows to 16 MB a semi-space): a long run
// with many watches and execs peaked at 227 MB of memory without it, 173 MB with
// it, at no measurable cost in time (bench/conformance-time.ts). Also in the
// npm scripts and the sh line above.
const SEMI_SPACE = '--max-semi-space-size=2';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 18)) {
  // V8 code and stripped TypeScript cached on disk (os.tmpdir()/node-compile-cache,
  // or NODE_COMPILE_CACHE; keyed by content, so an edited file is compiled afresh):
  // about half of a start's CPU time. Must come before main.ts is imported.
  module.enableCompileCache?.();
  const cli = await import(join(here, 'main.ts'));
  process.exit(await cli.main(process.argv.slice(2)));
} else {
  const bundled = join(here, '..', '..', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundled)) {
    process.stderr.write(`kconform needs Node.js 22.18 or newer (this is ${process.version}); run \`npm ci\` in the kconform folder to install one.\n`);
    process.exit(3);
  }
  const r = spawnSync(bundled, [SEMI_SPACE, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 3);
}
