// The layer stack of .dependency-cruiser.mjs, held against the code: no import runs
// back up the stack, crosses to a neighbour or closes a cycle. The rules are also run
// on a scratch tree that breaks each of them, so a rule that cannot fire is caught.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import { describe, expect, it } from 'vitest';
import { repoPath } from './paths.ts';

const config = await extractDepcruiseConfig(repoPath('.dependency-cruiser.mjs'));
const rules = config.forbidden ?? [];

/** Every violation as `rule: from -> to`, with the rule's reason. */
async function violations(baseDir: string, roots: string[]): Promise<string[]> {
  const result = await cruise(roots, { ...config.options, baseDir, validate: true, ruleSet: { forbidden: rules } }, { extensions: ['.ts', '.js', '.json'] });
  const out = result.output as ICruiseResult;
  return out.summary.violations.map((v) => {
    const rule = rules.find((r) => r.name === v.rule.name);
    const route = v.cycle?.length ? [v.from, ...v.cycle.map((c) => c.name)].join(' -> ') : `${v.from} -> ${v.to}`;
    return `${v.rule.name}: ${route} (${rule?.comment ?? ''})`;
  });
}

describe('layers', () => {
  it('no import runs back up the stack, sideways or in a cycle', async () => {
    const found = await violations(repoPath(), ['harness', 'bench']);
    expect(found, found.join('\n')).toEqual([]);
  }, 60_000);

  it('each rule fires on a tree that breaks it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-layers-'));
    const files: Record<string, string> = {
      'harness/kube/client.ts': "import type { Check } from '../checks/types.ts';\nexport type C = Check;\n",
      'harness/checks/types.ts': 'export type Check = string;\n',
      'harness/grade/sheet.ts': "import { cell } from '../matrix/cell.ts';\nexport const s = cell;\n",
      'harness/matrix/cell.ts': 'export const cell = 1;\n',
      'harness/paths.ts': "import { x } from './suite/a.ts';\nexport const p = x;\n",
      'harness/suite/a.ts': "import { b } from './b.ts';\nexport const x = 1;\nexport const a = b;\n",
      'harness/suite/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      'harness/run/runner.ts': "import { fake } from '../testing/fake.ts';\nexport const r = fake;\n",
      'harness/testing/fake.ts': "import { main } from '../cli/main.ts';\nexport const fake = main;\n",
      'harness/cli/main.ts': 'export const main = 1;\n',
      'harness/kube/client.test.ts': "import { main } from '../cli/main.ts';\nexport const t = main;\n",
      // The spec layer: below the suite loader, above suite-common; only the kind list names runs, lazily.
      'harness/checks/echo/spec.ts': "import type { Check } from '../types.ts';\nimport { d } from '../../suite/common.ts';\nexport const spec = d;\nexport type S = Check;\nexport const sneak = () => import('../echo/check.ts');\n",
      'harness/checks/echo/check.ts': "import { spec } from './spec.ts';\nexport const echoCheck = spec;\n",
      'harness/checks/ok/check.ts': 'export const okCheck = 1;\n',
      'harness/checks/kinds.ts': "import { spec } from './echo/spec.ts';\nimport { echoCheck } from './echo/check.ts';\nexport const KINDS = { ok: { spec, run: () => import('./ok/check.ts') } };\nexport const now = echoCheck;\nexport const runner = () => import('../run/runner.ts');\n",
      'harness/suite/schema.ts': "import { KINDS } from '../checks/kinds.ts';\nexport const schema = KINDS;\n",
      'harness/suite/common.ts': "import { schema } from './schema.ts';\nexport const d = 1;\nexport const s = schema;\n",
      'harness/cluster/nodes.ts': "import { spec } from '../checks/echo/spec.ts';\nexport const n = spec;\n",
      'tsconfig.json': '{ "compilerOptions": { "allowImportingTsExtensions": true, "module": "NodeNext", "moduleResolution": "NodeNext", "noEmit": true } }\n',
    };
    let found: string[];
    try {
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      found = await violations(dir, ['harness']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const broken = found.map((f) => f.slice(0, f.indexOf(' (')));
    expect(broken).toEqual(
      expect.arrayContaining([
        'layer-kube: harness/kube/client.ts -> harness/checks/types.ts',
        'layer-grade: harness/grade/sheet.ts -> harness/matrix/cell.ts',
        'ground-imports-no-layer: harness/paths.ts -> harness/suite/a.ts',
        'no-test-support-in-shipped-code: harness/run/runner.ts -> harness/testing/fake.ts',
        'layer-spec: harness/checks/echo/spec.ts -> harness/checks/types.ts',
        'layer-spec: harness/checks/kinds.ts -> harness/checks/echo/check.ts',
        'spec-no-lazy-import-up: harness/checks/echo/spec.ts -> harness/checks/echo/check.ts',
        'kind-list-loads-only-runs: harness/checks/kinds.ts -> harness/run/runner.ts',
        'layer-suite-common: harness/suite/common.ts -> harness/suite/schema.ts',
      ]),
    );
    // What the stack allows: the suite reads the kind list, which loads a kind's run
    // lazily; a spec uses the suite's building blocks; a layer below checks reads a spec.
    const allowed = ['harness/suite/schema.ts -> harness/checks/kinds.ts', 'harness/checks/kinds.ts -> harness/checks/ok/check.ts', 'harness/checks/echo/spec.ts -> harness/suite/common.ts', 'harness/cluster/nodes.ts -> harness/checks/echo/spec.ts'];
    expect(broken.filter((b) => allowed.some((a) => b.endsWith(`: ${a}`)))).toEqual([]);
    expect(found.find((f) => f.startsWith('layer-spec:'))).toContain('spec files (harness/checks/kinds.ts, kind-list.ts, <kind>/spec.ts, <kind>/spec/) may import only the layers below it: cli > grade|matrix > run > checks > cluster > images|plan > suite > spec > suite-common > report|kube > results');
    expect(broken.some((r) => r.startsWith('no-circular: harness/suite/'))).toBe(true);
    expect(found.find((f) => f.startsWith('layer-kube:'))).toContain('may import only the layers below it: cli > grade|matrix > run');
    // A test and test support may reach anywhere.
    expect(found.filter((f) => f.includes('client.test.ts') || (f.startsWith('layer-') && f.includes('harness/testing/')))).toEqual([]);
  }, 60_000);
});
