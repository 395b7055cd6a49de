// The layer stack of harness/, enforced (`npx depcruise harness bench`; the unit tier
// runs it in harness/layers.test.ts). A folder imports only folders on a lower
// layer, never one above it nor a neighbour on its own layer, and no file imports
// itself back through a cycle. Type-only imports count: a type from above is a
// dependency on above. Tests and test support (`*.test.ts`, `testing/` folders) may
// reach anywhere to set a scene; shipped code may not reach into them.

/** Highest first. Folders on one line are neighbours and do not import each other. */
export const LAYERS = [
  ['cli'],
  ['grade', 'matrix'],
  ['run'],
  ['checks'],
  ['cluster'],
  ['images', 'plan'],
  ['suite'],
  ['report', 'kube'],
  ['results'],
];

const STACK = LAYERS.map((l) => l.join('|')).join(' > ');
const TEST_SUPPORT = '(^|/)testing/|\\.test\\.ts$';
const folders = (names) => `^harness/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...LAYERS.flatMap((layer, i) =>
      layer.map((folder) => ({
        name: `layer-${folder}`,
        severity: 'error',
        comment: `harness/${folder}/ may import only the layers below it: ${STACK}`,
        from: { path: folders([folder]), pathNot: TEST_SUPPORT },
        to: { path: folders([...LAYERS.slice(0, i).flat(), ...layer.filter((f) => f !== folder)]) },
      })),
    ),
    {
      name: 'ground-imports-no-layer',
      severity: 'error',
      comment: 'harness/paths.ts and harness/version.ts are below every layer: they import none',
      from: { path: '^harness/(paths|version)\\.ts$' },
      to: { path: folders(LAYERS.flat()) },
    },
    {
      name: 'no-test-support-in-shipped-code',
      severity: 'error',
      comment: 'shipped code does not import tests or test helpers (testing/ folders)',
      from: { path: '^harness/', pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules that import each other in a loop: one of them belongs lower',
      from: { pathNot: TEST_SUPPORT },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
