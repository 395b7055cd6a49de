// The layer stack of harness/, enforced (`npx depcruise harness bench`; the unit tier
// runs it in harness/layers.test.ts). A layer imports only lower layers, never one
// above it nor a neighbour on its own layer (one exception, lazy and named: the kind
// list's loaders of each check kind's run, see KIND_LIST), and no file imports
// itself back through a cycle. Type-only imports count: a type from above is a
// dependency on above. Tests and test support (`*.test.ts`, `testing/` folders) may
// reach anywhere to set a scene; shipped code may not reach into them.

/**
 * Highest first. Layers on one line are neighbours and do not import each other. A
 * layer is a folder of harness/, or a role: files picked by path (ROLES), which then
 * belong to that layer and not to their folder's.
 */
export const LAYERS = [
  ['cli'],
  ['grade', 'matrix'],
  ['run'],
  ['checks'],
  ['cluster'],
  ['images', 'plan'],
  ['suite'],
  ['spec'],
  ['suite-common'],
  ['report', 'kube'],
  ['results'],
];

/**
 * spec: each check kind's suite schema (harness/checks/<kind>/spec.ts, and a spec/
 * folder beside it for a kind whose schema needs more) and the kind list built from
 * them: the suite loader reads these, so they sit below it and never load run code.
 * suite-common: the suite's building blocks those schemas use (durations, names,
 * did-you-mean, the CNI names).
 */
export const ROLES = {
  spec: '^harness/checks/(kinds\\.ts$|kind-list\\.ts$|[^/]+/spec(\\.ts$|/))',
  'suite-common': '^harness/suite/(common|durations|did-you-mean|cni-data)\\.ts$',
};

/** How the rules' messages name a role. */
const ROLE_WORDS = {
  spec: 'spec files (harness/checks/kinds.ts, kind-list.ts, <kind>/spec.ts, <kind>/spec/)',
  'suite-common': 'suite building blocks (harness/suite/common.ts, durations.ts, did-you-mean.ts, cni-data.ts)',
};

/**
 * The one way up: the kind list names each kind's run by a lazy loader (a dynamic
 * import, never called by the suite loader), so a kind is one entry. Nothing else in
 * the spec layer imports up, lazily or not.
 */
export const KIND_LIST = '^harness/checks/kinds\\.ts$';
export const KIND_RUN = '^harness/checks/[^/]+/check\\.ts$';

const STACK = LAYERS.map((l) => l.join('|')).join(' > ');
const TEST_SUPPORT = '(^|/)testing/|\\.test\\.ts$';
const pathOf = (name) => ROLES[name] ?? `^harness/${name}/`;
const roleNames = Object.keys(ROLES);
const SPEC_AT = LAYERS.findIndex((l) => l.includes('spec'));
const ABOVE_SPEC = LAYERS.slice(0, SPEC_AT).flat().map(pathOf);
const BELOW_SPEC_ROLES = LAYERS.slice(SPEC_AT).flat().filter((n) => roleNames.includes(n)).map(pathOf);

/** The rule of one layer: it imports only the layers below it. */
function layerRule(name, i) {
  const higher = [...LAYERS.slice(0, i).flat(), ...LAYERS[i].filter((n) => n !== name)];
  const notHigher = LAYERS.slice(i + 1).flat().concat(name).filter((n) => roleNames.includes(n));
  const where = ROLE_WORDS[name] ?? `harness/${name}/`;
  return {
    name: `layer-${name}`,
    severity: 'error',
    comment: `${where} may import only the layers below it: ${STACK}`,
    from: { path: pathOf(name), pathNot: [TEST_SUPPORT, ...roleNames.filter((n) => n !== name).map(pathOf)] },
    to: {
      path: higher.map(pathOf),
      // A role nested in a higher folder (spec files under checks/) is not that folder.
      pathNot: notHigher.map(pathOf),
      ...(name === 'spec' ? { dependencyTypesNot: ['dynamic-import'] } : {}),
    },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    // The top layer may import anything: no rule.
    ...LAYERS.slice(1).flatMap((layer, i) => layer.map((name) => layerRule(name, i + 1))),
    {
      name: 'spec-no-lazy-import-up',
      severity: 'error',
      comment: 'spec files import nothing above their layer, not even lazily: only the kind list (harness/checks/kinds.ts) names the runs',
      from: { path: ROLES.spec, pathNot: [TEST_SUPPORT, KIND_LIST] },
      to: { path: ABOVE_SPEC, pathNot: BELOW_SPEC_ROLES, dependencyTypes: ['dynamic-import'] },
    },
    {
      name: 'kind-list-loads-only-runs',
      severity: 'error',
      comment: "the kind list imports upward only each kind's run (harness/checks/<kind>/check.ts), and only by a lazy import()",
      from: { path: KIND_LIST },
      to: { path: ABOVE_SPEC, pathNot: [KIND_RUN, ...BELOW_SPEC_ROLES], dependencyTypes: ['dynamic-import'] },
    },
    {
      name: 'ground-imports-no-layer',
      severity: 'error',
      comment: 'harness/paths.ts and harness/version.ts are below every layer: they import none',
      from: { path: '^harness/(paths|version)\\.ts$' },
      to: { path: LAYERS.flat().map(pathOf) },
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
