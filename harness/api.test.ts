// The public API's promises that need no cluster: the README shows the example
// test as it is (harness/api.cluster.test.ts runs it on the testbed), and a user's
// own tsc, with an ordinary tsconfig (no allowImportingTsExtensions), resolves
// `import ... from 'kconform'` to the declarations `npm run build:types` (prepack) makes
// and accepts the example.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoPath } from './paths.ts';

const BEGIN = '// README example begins\n';
const END = '// README example ends\n';

function example(): string {
  const file = readFileSync(repoPath('harness', 'api.cluster.test.ts'), 'utf8');
  const from = file.indexOf(BEGIN);
  const to = file.indexOf(END);
  expect(from, 'markers in harness/api.cluster.test.ts').toBeGreaterThanOrEqual(0);
  return file.slice(from + BEGIN.length, to);
}

describe('the public API', () => {
  it('README shows the example test exactly as it runs', () => {
    const readme = readFileSync(repoPath('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Driving kconform from your own tests'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'a ```ts block in "Driving kconform from your own tests"').toBeDefined();
    expect(block).toBe(example());
  });

  it("a user's tsc resolves 'kconform' to the built declarations and accepts the example", async () => {
    await execa('npx', ['tsc', '-p', 'tsconfig.types.json'], { cwd: repoPath(), preferLocal: true });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-api-user-'));
    try {
      // The user's project: kconform and its dependencies installed beside vitest.
      await symlink(repoPath('node_modules'), path.join(dir, 'node_modules'), 'dir');
      await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        include: ['example.test.ts', 'provided.d.ts'],
      }));
      // The user's globalSetup provides the kubeconfig, as kconform's cluster tier does (harness/testing/cluster.setup.ts).
      await writeFile(path.join(dir, 'provided.d.ts'), "export {};\ndeclare module 'vitest' {\n  export interface ProvidedContext {\n    kubeconfig: string;\n  }\n}\n");
      await writeFile(path.join(dir, 'example.test.ts'), example());
      const r = await execa(repoPath('node_modules', '.bin', 'tsc'), ['-p', '.', '--listFiles'], { cwd: dir, reject: false });
      expect(r.exitCode, r.stdout.split('\n').filter((l) => l.includes('error TS')).join('\n')).toBe(0);
      // Through package.json "exports" (types condition): the declarations, not the sources.
      const files = r.stdout.split('\n');
      expect(files.some((f) => f.endsWith('/types/api.d.ts'))).toBe(true);
      expect(files.filter((f) => f.endsWith('/harness/api.ts'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 400_000); // two tsc runs: ~30 s on a quiet 2-core machine, minutes under heavy load
});
