// The permissions a grader's kubeconfig needs for a set of suites, derived from
// what the runner and each check read and create (kept beside the checks' own
// code as a table: a check kind without an entry is reported, not guessed), and
// rendered as a ClusterRole (for everything in kconform's own namespaces, whose
// names are only known at run time, and cluster-scoped reads) plus one Role per
// namespace the suites read by name (e.g. the student's `lab1`). Pure.
import type { Plan } from '../plan/plan.ts';
import type { CheckSpec } from '../checks/kinds.ts';
import type { AssertSpec } from '../checks/assert/spec.ts';
import type { ExecSpec } from '../checks/exec/spec.ts';
import type { HttpSpec } from '../checks/http/spec.ts';
import { isClusterScoped } from '../plan/scope.ts';

/** Where a permission applies: kconform's run namespace (unknown name), a named namespace, all namespaces, or cluster-scoped. */
export type Scope = { in: 'suite' } | { in: 'namespace'; namespace: string } | { in: 'all' } | { in: 'cluster' };

export interface Need {
  scope: Scope;
  group: string;
  resource: string;
  verbs: string[];
  why: string;
}

const SUITE: Scope = { in: 'suite' };
const ALL: Scope = { in: 'all' };
const CLUSTER: Scope = { in: 'cluster' };
const ns = (namespace: string): Scope => ({ in: 'namespace', namespace });

const POD_LIFECYCLE = ['create', 'delete', 'get', 'list', 'watch'];
/** exec over WebSocket is an HTTP GET (authorized as get), over SPDY a POST (create); the API server asks for both. */
const EXEC = ['get', 'create'];

/** Probe pods in the suite namespace, waited for and exec'ed into (checks that make their own workloads). */
function probePods(why: string): Need[] {
  return [
    { scope: SUITE, group: '', resource: 'pods', verbs: POD_LIFECYCLE, why },
    { scope: SUITE, group: '', resource: 'pods/exec', verbs: EXEC, why },
  ];
}

/** The runner, the cluster info on the score sheet, and evidence collection: every suite needs these. */
export function baseNeeds(): Need[] {
  return [
    { scope: CLUSTER, group: '', resource: 'namespaces', verbs: ['create', 'delete', 'get', 'list', 'watch'], why: "the run's own namespace (create, delete, wait until gone); kube-system's UID identifies the cluster" },
    { scope: CLUSTER, group: '', resource: 'nodes', verbs: ['list'], why: 'node count and runtime on the score sheet' },
    { scope: ALL, group: '', resource: 'pods', verbs: ['list'], why: 'CNI detection (kube-system pods) and evidence (pods of the run namespace)' },
    { scope: SUITE, group: '', resource: 'events', verbs: ['list'], why: 'evidence of a failed check' },
    { scope: SUITE, group: '', resource: 'pods/log', verbs: ['get'], why: 'evidence of a failed check (logs)' },
  ];
}

type NeedsOf<S> = (spec: S, fixedNamespace: (n: string | undefined) => Scope) => Need[];

/** Per check kind: what it reads and creates. Read from each check's code; keep in step with it. */
export const CHECK_NEEDS: { [K in CheckSpec['kind']]?: NeedsOf<Extract<CheckSpec, { kind: K }>> } = {
  nodes: () => [
    { scope: CLUSTER, group: '', resource: 'nodes', verbs: ['list', 'watch'], why: 'nodes: readiness, roles, versions' },
    { scope: ALL, group: '', resource: 'pods', verbs: ['list', 'watch'], why: 'nodes: CNI, CoreDNS and kube-proxy pods' },
  ],
  podNetwork: () => [
    { scope: CLUSTER, group: '', resource: 'nodes', verbs: ['list'], why: 'podNetwork: one server and client per node' },
    ...probePods('podNetwork: probe pods'),
    { scope: ns('kube-router'), group: '', resource: 'pods/exec', verbs: EXEC, why: 'podNetwork: BGP sessions (gobgp neighbor) in kube-router\'s agent pods' },
  ],
  networkPolicy: () => [
    { scope: CLUSTER, group: '', resource: 'namespaces', verbs: ['create', 'delete'], why: 'networkPolicy: its model namespaces (x, y, z)' },
    { scope: ALL, group: '', resource: 'pods', verbs: POD_LIFECYCLE, why: 'networkPolicy: model pods in its own namespaces' },
    { scope: ALL, group: '', resource: 'pods/exec', verbs: EXEC, why: 'networkPolicy: probes run from every model pod' },
    { scope: ALL, group: 'networking.k8s.io', resource: 'networkpolicies', verbs: ['create', 'patch', 'delete', 'get'], why: 'networkPolicy: the policies of each case, in its own namespaces' },
  ],
  serviceDistribution: () => [
    ...probePods('serviceDistribution: endpoints and client'),
    { scope: SUITE, group: '', resource: 'services', verbs: ['create', 'delete', 'get'], why: 'serviceDistribution: its Service' },
    { scope: SUITE, group: 'discovery.k8s.io', resource: 'endpointslices', verbs: ['list', 'watch'], why: 'serviceDistribution: endpoints listed' },
  ],
  dns: () => [
    ...probePods('dns: backends and client'),
    { scope: SUITE, group: '', resource: 'services', verbs: ['create', 'delete', 'get'], why: 'dns: its Services' },
    { scope: SUITE, group: 'discovery.k8s.io', resource: 'endpointslices', verbs: ['list', 'watch'], why: 'dns: headless endpoints' },
    { scope: ns('kube-system'), group: '', resource: 'services', verbs: ['get', 'list'], why: 'dns: the cluster DNS Service (kube-dns)' },
    { scope: ns('default'), group: '', resource: 'services', verbs: ['get'], why: 'dns: kubernetes.default across namespaces' },
  ],
  assert: (spec: AssertSpec, at) => {
    const r = spec.resource;
    const { group, resource } = groupResource(r.apiVersion, r.kind);
    return [{ scope: isClusterScoped(r.kind) ? CLUSTER : at(r.namespace), group, resource, verbs: ['list', 'watch'], why: `assert: ${r.kind} ${r.name ?? r.labelSelector ?? ''}`.trim() }];
  },
  exec: (spec: ExecSpec, at) => {
    if (spec.node) {
      return [
        { scope: CLUSTER, group: '', resource: 'nodes', verbs: ['list'], why: 'exec on nodes: which nodes' },
        ...probePods('exec on nodes: privileged debug pods'),
      ];
    }
    const where = at(spec.pod?.namespace);
    return [
      { scope: where, group: '', resource: 'pods', verbs: ['get', 'list', 'watch'], why: `exec: pod ${spec.pod?.name ?? spec.pod?.selector}` },
      { scope: where, group: '', resource: 'pods/exec', verbs: EXEC, why: `exec: run the command in pod ${spec.pod?.name ?? spec.pod?.selector}` },
    ];
  },
  http: (spec: HttpSpec, at) => {
    const out: Need[] = spec.from
      ? [
          { scope: at(spec.from.namespace), group: '', resource: 'pods', verbs: ['get', 'list', 'watch'], why: `http: client pod ${spec.from.pod}` },
          { scope: at(spec.from.namespace), group: '', resource: 'pods/exec', verbs: EXEC, why: `http: curl in client pod ${spec.from.pod}` },
        ]
      : probePods('http: its client pod');
    if (spec.service) {
      const where = at(spec.service.namespace);
      out.push(
        { scope: where, group: '', resource: 'services', verbs: ['get'], why: `http: Service ${spec.service.name}` },
        { scope: where, group: 'discovery.k8s.io', resource: 'endpointslices', verbs: ['list'], why: `http: endpoints of Service ${spec.service.name}` },
        { scope: where, group: '', resource: 'pods', verbs: ['list'], why: `http: pods behind Service ${spec.service.name} (why it fails)` },
      );
    }
    if (spec.pod) out.push({ scope: at(spec.pod.namespace), group: '', resource: 'pods', verbs: ['get', 'list', 'watch'], why: `http: target pod ${spec.pod.name ?? spec.pod.selector}` });
    return out;
  },
};

export interface PlanNeeds {
  needs: Need[];
  /** Check kinds with no entry in CHECK_NEEDS: their permissions are unknown. */
  unknownKinds: string[];
}

/** Everything a plan (its fixtures and checks) needs, unmerged, each with its reason; `skipped` checks (by id) need nothing. */
export function needsOfPlan(plan: Plan, skipped: ReadonlySet<string> = new Set()): PlanNeeds {
  const needs = baseNeeds();
  const unknown = new Set<string>();
  for (const s of plan.suites) {
    const at = (n: string | undefined): Scope => (n === undefined || n === s.namespace ? SUITE : ns(n));
    for (const f of s.fixtures) {
      for (const o of f.objects) {
        const { group, resource } = groupResource(o.apiVersion, o.kind);
        // Server-side apply is a PATCH that may create; waited-for fixtures are watched;
        // cluster-scoped ones are deleted one by one (namespaced ones go with the namespace).
        const clusterScoped = isClusterScoped(o.kind);
        const verbs = ['create', 'patch', ...(f.wait || clusterScoped ? ['list', 'watch'] : []), ...(clusterScoped ? ['delete'] : [])];
        needs.push({ scope: clusterScoped ? CLUSTER : at(o.metadata.namespace), group, resource, verbs, why: `fixture ${f.origin}` });
      }
    }
    for (const c of s.checks.filter((x) => !skipped.has(x.id))) {
      const of = CHECK_NEEDS[c.spec.kind] as NeedsOf<CheckSpec> | undefined;
      if (!of) unknown.add(c.spec.kind);
      else needs.push(...of(c.spec, at));
    }
  }
  return { needs, unknownKinds: [...unknown].sort() };
}

/** Kubernetes' own guess for a kind's resource name, with the irregular core kinds. */
export function groupResource(apiVersion: string, kind: string): { group: string; resource: string } {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const lower = kind.toLowerCase();
  const irregular: Record<string, string> = { endpoints: 'endpoints' };
  const resource = irregular[lower] ?? (lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') && !/[aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`);
  return { group, resource };
}

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  why: string[];
}

export interface Roles {
  clusterRules: Rule[];
  /** namespace -> rules of its Role. */
  namespaceRules: Map<string, Rule[]>;
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * Merges needs into rules: kconform's namespace, all namespaces and cluster-scoped
 * needs go to the ClusterRole; named namespaces get a Role, minus what the
 * ClusterRole already grants.
 */
export function mergeNeeds(needs: Need[]): Roles {
  const cluster = new Map<string, { group: string; resource: string; verbs: Set<string>; why: Set<string> }>();
  const named = new Map<string, Map<string, { group: string; resource: string; verbs: Set<string>; why: Set<string> }>>();
  for (const n of needs) {
    const table = n.scope.in === 'namespace' ? mapFor(named, n.scope.namespace) : cluster;
    const key = `${n.group}/${n.resource}`;
    const e = table.get(key) ?? { group: n.group, resource: n.resource, verbs: new Set<string>(), why: new Set<string>() };
    n.verbs.forEach((v) => e.verbs.add(v));
    e.why.add(n.why);
    table.set(key, e);
  }
  const toRule = (e: { group: string; resource: string; verbs: Set<string>; why: Set<string> }): Rule => ({
    apiGroups: [e.group],
    resources: [e.resource],
    verbs: [...e.verbs].sort((a, b) => VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b)),
    why: [...e.why],
  });
  const sortRules = (rs: Rule[]) => rs.sort((a, b) => `${a.apiGroups[0]}/${a.resources[0]}`.localeCompare(`${b.apiGroups[0]}/${b.resources[0]}`));
  const clusterRules = sortRules([...cluster.values()].map(toRule));
  const namespaceRules = new Map<string, Rule[]>();
  for (const [namespace, table] of [...named.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const rules = [...table.values()]
      .map((e) => {
        const granted = cluster.get(`${e.group}/${e.resource}`)?.verbs ?? new Set<string>();
        return { ...e, verbs: new Set([...e.verbs].filter((v) => !granted.has(v))) };
      })
      .filter((e) => e.verbs.size > 0)
      .map(toRule);
    if (rules.length) namespaceRules.set(namespace, sortRules(rules));
  }
  return { clusterRules, namespaceRules };
}

function mapFor<K, V>(m: Map<K, Map<string, V>>, k: K): Map<string, V> {
  const existing = m.get(k);
  if (existing) return existing;
  const fresh = new Map<string, V>();
  m.set(k, fresh);
  return fresh;
}

export interface Subject {
  kind: 'ServiceAccount' | 'User' | 'Group';
  name: string;
  /** ServiceAccount only. */
  namespace?: string;
}

/** ClusterRole, Roles and their bindings as multi-document YAML, each rule with its reasons as comments. */
export function renderRbacYaml(roles: Roles, opts: { name: string; subject: Subject; suites: string[]; unknownKinds: string[] }): string {
  const out: string[] = [
    `# Permissions kconform needs to run: ${opts.suites.join(', ')}`,
    '# Generated by `kconform rbac`. Discovery (/api, /apis) and /version are allowed to every',
    '# authenticated user by the default system:discovery and system:public-info-viewer roles.',
    "# kconform's run namespace is named only at run time (kconform-<suite>-<run id>), so what the",
    '# checks create there is granted cluster-wide; read-only grading creates nothing elsewhere.',
  ];
  if (opts.unknownKinds.length) out.push(`# WARNING: no permission data for check kind(s) ${opts.unknownKinds.join(', ')}: these rules may not be enough.`);
  out.push('---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', `  name: ${opts.name}`, 'rules:', ...rulesYaml(roles.clusterRules));
  for (const [namespace, rules] of roles.namespaceRules) {
    out.push('---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata:', `  name: ${opts.name}`, `  namespace: ${namespace}`, 'rules:', ...rulesYaml(rules));
  }
  const subject = [`  - kind: ${opts.subject.kind}`, `    name: ${opts.subject.name}`, ...(opts.subject.kind === 'ServiceAccount' ? [`    namespace: ${opts.subject.namespace ?? 'default'}`] : ['    apiGroup: rbac.authorization.k8s.io'])];
  out.push('---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata:', `  name: ${opts.name}`, 'roleRef:', '  apiGroup: rbac.authorization.k8s.io', '  kind: ClusterRole', `  name: ${opts.name}`, 'subjects:', ...subject);
  for (const namespace of roles.namespaceRules.keys()) {
    out.push('---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata:', `  name: ${opts.name}`, `  namespace: ${namespace}`, 'roleRef:', '  apiGroup: rbac.authorization.k8s.io', '  kind: Role', `  name: ${opts.name}`, 'subjects:', ...subject);
  }
  return `${out.join('\n')}\n`;
}

function rulesYaml(rules: Rule[]): string[] {
  return rules.flatMap((r) => [
    ...r.why.map((w) => `  # ${w.replace(/\s+/g, ' ')}`),
    `  - apiGroups: [${r.apiGroups.map((g) => JSON.stringify(g)).join(', ')}]`,
    `    resources: [${r.resources.join(', ')}]`,
    `    verbs: [${r.verbs.join(', ')}]`,
  ]);
}
