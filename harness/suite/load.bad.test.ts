// The table of bad suites: each must fail before any cluster work with exactly
// this message, pointing at this line and column.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiteError, loadSuiteFile } from './load.ts';
import { displayPath } from './problems.ts';
import { CHECK_KINDS } from '../checks/kinds.ts';

const KINDS = CHECK_KINDS.join(', ');
const CLUSTER_KEYS = 'provider, nodes, cni, cri, kubernetesVersion, podSubnet, serviceSubnet';
const FIXTURE = 'expected a fixture: {file: path} or {inline: manifest}';

/** A networkPolicy suite with one case: its policy's namespace and types, its rules. */
const NP_SUITE = (policyNs: string, policyTypes: string, rules: string[]) =>
  [
    'name: np',
    'checks:',
    '  - kind: networkPolicy',
    '    cases:',
    '      - name: c1',
    '        policies:',
    '          - apiVersion: networking.k8s.io/v1',
    '            kind: NetworkPolicy',
    `            metadata: { name: p, namespace: ${policyNs} }`,
    '            spec:',
    '              podSelector: {}',
    `              policyTypes: [${policyTypes}]`,
    '        expect:',
    ...rules.map((r) => `          - "${r}"`),
    '',
  ].join('\n');

/** [title, suite text, expected lines without the `file:` prefix]. */
const cases: [string, string, string[]][] = [
  ['bad suite duration', 'name: a\ntimeout: soon\nchecks:\n  - kind: nodes\n', ["2:10 timeout: expected a duration like 30s, got 'soon'"]],
  ['number as a check duration', 'name: a\nchecks:\n  - kind: nodes\n    timeout: 30\n', ['4:14 checks[0].timeout: expected a duration like 30s, got a number']],
  ['empty value', 'name: a\ntimeout:\nchecks:\n  - kind: nodes\n', ['2:9 timeout: expected a duration like 30s, got nothing']],
  ['unknown key, close match', 'name: a\ntimout: 3s\nchecks:\n  - kind: nodes\n', ["2:1 timout: unknown key 'timout'; did you mean 'timeout'?"]],
  ['unknown check key, close match', 'name: a\nchecks:\n  - kind: nodes\n    runtme: docker\n', ["4:5 checks[0].runtme: unknown key 'runtme'; did you mean 'runtime'?"]],
  ['unknown key, no close match', 'name: a\ncluster:\n  colour: red\nchecks:\n  - kind: nodes\n', [`3:3 cluster.colour: unknown key 'colour'; expected one of: ${CLUSTER_KEYS}`]],
  ['unknown kind, close match', 'name: a\nchecks:\n  - kind: node\n', [`3:11 checks[0].kind: unknown check kind 'node'; did you mean 'nodes'? expected one of: ${KINDS}`]],
  ['unknown kind, no close match', 'name: a\nchecks:\n  - kind: teleport\n', [`3:11 checks[0].kind: unknown check kind 'teleport'; expected one of: ${KINDS}`]],
  ['missing kind', 'name: a\nchecks:\n  - name: x\n', [`3:5 checks[0].kind: expected kind to be one of: ${KINDS}, got nothing`]],
  ['check that is not a map', 'name: a\nchecks:\n  - nodes\n', ["3:5 checks[0]: expected a check: a map with a kind and its settings, got 'nodes'"]],
  ['missing name', 'checks:\n  - kind: nodes\n', ['1:1 name: expected a name, got nothing']],
  ['missing checks', 'name: a\n', ['1:1 checks: expected a list of checks, got nothing']],
  ['empty checks', 'name: a\nchecks: []\n', ['2:9 checks: expected at least one check, got an empty list']],
  ['number for a string', 'name: a\nchecks:\n  - kind: nodes\n    hint: 42\n', ['4:11 checks[0].hint: expected a string, got a number']],
  ['string for an integer', 'name: a\nretries: three\nchecks:\n  - kind: nodes\n', ["2:10 retries: expected a whole number, got 'three'"]],
  ['fraction for an integer', 'name: a\nchecks:\n  - kind: nodes\n    count: 1.5\n', ['4:12 checks[0].count: expected a whole number, got 1.5']],
  ['list for a map', 'name: a\ncluster: [kind]\nchecks:\n  - kind: nodes\n', ['2:10 cluster: expected a map, got a list']],
  ['number in a string map', 'name: a\nlabels:\n  team: 7\nchecks:\n  - kind: nodes\n', ['3:9 labels.team: expected a string, got a number']],
  ['uppercase name', 'name: Net\nchecks:\n  - kind: nodes\n', ["1:7 name: expected a lowercase name of letters, digits and dashes (a DNS label), got 'Net'"]],
  ['name too long', `name: ${'a'.repeat(41)}\nchecks:\n  - kind: nodes\n`, ['1:7 name: expected at most 40 characters (it becomes part of a namespace name), got 41 characters']],
  ['negative retries', 'name: a\nchecks:\n  - kind: nodes\n    retries: -1\n', ['4:14 checks[0].retries: expected at least 0, got -1']],
  ['fixture with neither file nor inline', 'name: a\nfixtures:\n  - wait: true\nchecks:\n  - kind: nodes\n', [`3:5 fixtures[0]: ${FIXTURE}, got a map with keys wait`]],
  ['fixture with both file and inline', 'name: a\nfixtures:\n  - file: a.yaml\n    inline: x\nchecks:\n  - kind: nodes\n', [`3:5 fixtures[0]: ${FIXTURE}, got a map with keys file, inline`]],
  ['fixture key typo', 'name: a\nfixtures:\n  - fiel: a.yaml\nchecks:\n  - kind: nodes\n', ["3:5 fixtures[0].fiel: unknown key 'fiel'; did you mean 'file'?"]],
  ['fixture file of the wrong type', 'name: a\nfixtures:\n  - file: 5\nchecks:\n  - kind: nodes\n', ['3:11 fixtures[0].file: expected a string, got a number']],
  ['bad cni', 'name: a\ncluster:\n  cni: cilium\nchecks:\n  - kind: nodes\n', ["3:8 cluster.cni: expected flannel, flannel:host-gw, kube-router, calico, weave, kindnet, none, got 'cilium'"]],
  ['k8s version without v', 'name: a\ncluster:\n  kubernetesVersion: "1.30.2"\nchecks:\n  - kind: nodes\n', ["3:22 cluster.kubernetesVersion: expected a version like v1.37.2, got '1.30.2'"]],
  ['k8s version read as a number', 'name: a\ncluster:\n  kubernetesVersion: 1.30\nchecks:\n  - kind: nodes\n', ['3:22 cluster.kubernetesVersion: expected a version like v1.37.2, got a number']],
  ['bad enum', 'name: a\nchecks:\n  - kind: nodes\n    runtime: podman\n', ["4:14 checks[0].runtime: expected containerd, docker or cri-o, got 'podman'"]],
  ['bad enum, close match', 'name: a\ncluster:\n  cri: dokcer\nchecks:\n  - kind: nodes\n', ["3:8 cluster.cri: expected containerd or docker, got 'dokcer'; did you mean 'docker'?"]],
  ['wrong apiVersion', 'apiVersion: v1\nname: a\nchecks:\n  - kind: nodes\n', ["1:13 apiVersion: expected kconform.io/v1alpha1, got 'v1'"]],
  ['YAML syntax error', 'name: a\nchecks:\n  - kind: nodes\n   timeout: 3s\n', ['4:1 invalid YAML: sequence item without - indicator (check the indentation and quotes on this line or the one before)']],
  ['unclosed quote', 'name: "a\nchecks: []\n', ['3:1 invalid YAML: missing closing "quote (check the indentation and quotes on this line or the one before)']],
  ['duplicate key', 'name: a\nchecks:\n  - kind: nodes\nname: b\n', ["4:1 duplicate key 'name'; a key may appear only once in a map"]],
  ['tab indentation', 'name: a\nchecks:\n\t- kind: nodes\n', ['3:1 tab used for indentation; YAML indents with spaces only']],
  ['unknown alias', 'name: *base\nchecks:\n  - kind: nodes\n', ["1:7 unknown alias '*base'; expected an anchor &base defined before it"]],
  ['duplicate check names', 'name: a\nchecks:\n  - kind: nodes\n    name: n\n  - kind: nodes\n    name: n\n', ["6:11 checks[1].name: duplicate check name 'n', already used by checks[0]; expected a unique name"]],
  [
    'duplicate unnamed checks',
    'name: a\nchecks:\n  - kind: nodes\n  - kind: nodes\n',
    ["4:5 checks[1]: duplicate check name 'nodes' (unnamed checks are named after their kind), already used by checks[0]; expected a unique name: add name: to one of them"],
  ],
  ['two documents', 'name: a\nchecks:\n  - kind: nodes\n---\nname: b\nchecks:\n  - kind: nodes\n', ['5:1 expected one suite per file, got 2 YAML documents; put each suite in its own file']],
  ['empty file', '', ['1:1 expected a suite: a map with at least name and checks, got an empty file']],
  ['only comments', '# nothing yet\n', ['1:1 expected a suite: a map with at least name and checks, got an empty file']],
  ['top-level list', '- name: a\n  checks: []\n', ['1:1 expected a suite: a map with at least name and checks, got a list']],
  ['top-level scalar', 'hello\n', ["1:1 expected a suite: a map with at least name and checks, got 'hello'"]],
  ['var named like a builtin', 'name: a\nvars:\n  namespace: x\nchecks:\n  - kind: nodes\n', ["3:3 vars.namespace: 'namespace' is a built-in template variable; expected another name (built-ins: namespace, runId, nonce, suite, agnhostImage)"]],
  ['var name unusable in a placeholder', 'name: a\nvars:\n  my.port: 80\nchecks:\n  - kind: nodes\n', [`3:3 vars["my.port"]: expected a variable name of letters, digits and _ (usable as {{ vars.name }}), got 'my.port'`]],
  ['var of a list', 'name: a\nvars:\n  ports: [80]\nchecks:\n  - kind: nodes\n', ['3:10 vars.ports: expected a string, a number or a boolean (true or false), got a list']],
  [
    'networkPolicy: a typo in policyTypes',
    NP_SUITE('x', 'Ingres', ['* -> x/* deny']),
    ["12:29 checks[0].cases[0].policies[0].spec.policyTypes[0]: expected Ingress or Egress, got 'Ingres'; did you mean 'Ingress'?"],
  ],
  [
    'networkPolicy: a namespace and rules outside the model',
    NP_SUITE('q', 'Ingress', ['* -> x/c deny', 'x/a -> y/b permit', 'x/a -> y/b:8080 deny']),
    [
      "9:45 checks[0].cases[0].policies[0].metadata.namespace: expected a model namespace (x, y, z), got 'q'",
      "14:13 checks[0].cases[0].expect[0]: column 8 of the rule: pod 'c' is not in the model (a, b)",
      "15:13 checks[0].cases[0].expect[1]: column 12 of the rule: expected allow or deny, got 'permit'",
      '16:13 checks[0].cases[0].expect[2]: column 12 of the rule: port 8080/TCP is not served by the model pods (80/TCP, 81/TCP, 80/UDP)',
    ],
  ],
  [
    'several problems, in file order',
    'name: a\nchecks:\n  - kind: nodes\n    retries: 11\n    count: 0\ntimeout: 1 minute\n',
    ['4:14 checks[0].retries: expected at most 10, got 11', '5:12 checks[0].count: expected at least 1, got 0', "6:10 timeout: expected a duration like 30s, got '1 minute'"],
  ],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-bad-suites-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad suites', () => {
  it('has a case for every kind of mistake the brief lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
  });

  it.each(cases)('%s', async (title, text, expected) => {
    const file = path.join(dir, `${title.replace(/\W+/g, '-')}.yaml`);
    await writeFile(file, text);
    const error = await loadSuiteFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SuiteError);
    const prefix = `${displayPath(file)}:`;
    expect((error as SuiteError).format()).toBe(expected.map((line) => prefix + line).join('\n'));
    for (const p of (error as SuiteError).problems) expect(p.file).toBe(file);
  });
});
