import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSuites } from '../suite/load.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { getCheck } from '../checks/registry.ts';
import { repoPath } from '../paths.ts';
import { CHECK_KINDS } from '../checks/kinds.ts';
import { planColumns } from './plan-columns.ts';
import { CHECK_NEEDS, groupResource, mergeNeeds, needsOfPlan, renderRbacYaml } from './rbac.ts';

async function lab1Plan(readOnly: boolean): Promise<Plan> {
  const suites = await loadSuites([repoPath('suites/assignments/lab1')]);
  return buildPlan({ suites, runId: 'r1', nonce: 'n', options: { parallel: 1, keep: 'never', readOnly, evidence: 'failure' }, fixturesDir: repoPath('fixtures'), images: { agnhost: 'agnhost:test' } });
}

function rolesOf(plan: Plan) {
  const skipped = new Set(planColumns(plan, (s) => getCheck(s.kind).needs(s)).filter((c) => c.skipReason).map((c) => c.id));
  return mergeNeeds(needsOfPlan(plan, skipped).needs);
}

const verbsOf = (rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[], group: string, resource: string) =>
  rules.find((r) => r.apiGroups[0] === group && r.resources[0] === resource)?.verbs;

describe('kconform rbac for lab1', () => {
  it('read-only: the ClusterRole covers the run namespace and cluster reads; the lab1 Role only reads', async () => {
    const roles = rolesOf(await lab1Plan(true));
    expect(verbsOf(roles.clusterRules, '', 'namespaces')).toEqual(['get', 'list', 'watch', 'create', 'delete']);
    expect(verbsOf(roles.clusterRules, '', 'nodes')).toEqual(['list', 'watch']);
    expect(verbsOf(roles.clusterRules, '', 'pods/exec')).toEqual(['get', 'create']);
    expect(roles.clusterRules.some((r) => r.verbs.includes('update'))).toBe(false);
    const lab1 = roles.namespaceRules.get('lab1') ?? [];
    expect(lab1.map((r) => `${r.apiGroups[0]}/${r.resources[0]}: ${r.verbs.join(',')}`)).toEqual([
      '/services: get,list,watch',
      'apps/deployments: list,watch',
      'discovery.k8s.io/endpointslices: list',
    ]);
    expect(lab1.every((r) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)))).toBe(true);
    expect([...roles.namespaceRules.keys()]).toEqual(['lab1']);
  });

  it('read-write adds what the node command needs (privileged debug pods are already in the run namespace rules)', async () => {
    const ro = needsOfPlan(await lab1Plan(true), new Set(['lab1/node-sysctls'])).needs;
    const rw = needsOfPlan(await lab1Plan(false)).needs;
    expect(rw.filter((n) => n.why.startsWith('exec on nodes')).length).toBeGreaterThan(0);
    expect(ro.filter((n) => n.why.startsWith('exec on nodes')).length).toBe(0);
  });

  it('renders YAML that parses into a ClusterRole, a Role and their bindings to the subject', async () => {
    const yaml = renderRbacYaml(rolesOf(await lab1Plan(true)), { name: 'kconform-grader', subject: { kind: 'ServiceAccount', namespace: 'kconform', name: 'grader' }, suites: ['lab1'], unknownKinds: [] });
    const docs = yaml.split(/^---$/m).slice(1).map((d) => parse(d) as { kind: string; metadata: { namespace?: string }; subjects?: unknown[] });
    expect(docs.map((d) => `${d.kind}${d.metadata.namespace ? `/${d.metadata.namespace}` : ''}`)).toEqual(['ClusterRole', 'Role/lab1', 'ClusterRoleBinding', 'RoleBinding/lab1']);
    expect(docs[2]?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'grader', namespace: 'kconform' }]);
    expect(yaml).toContain('  # assert: Deployment web\n  - apiGroups: ["apps"]\n    resources: [deployments]\n    verbs: [list, watch]');
  });

  it('every built-in check kind has permission data', () => {
    for (const kind of ['nodes', 'podNetwork', 'serviceDistribution', 'dns', 'assert', 'exec', 'http']) {
      expect(CHECK_KINDS).toContain(kind);
      expect(CHECK_NEEDS[kind as keyof typeof CHECK_NEEDS], kind).toBeTypeOf('function');
    }
  });

  it("guesses resource names as Kubernetes does", () => {
    expect(groupResource('v1', 'Endpoints')).toEqual({ group: '', resource: 'endpoints' });
    expect(groupResource('networking.k8s.io/v1', 'NetworkPolicy')).toEqual({ group: 'networking.k8s.io', resource: 'networkpolicies' });
    expect(groupResource('networking.k8s.io/v1', 'Ingress')).toEqual({ group: 'networking.k8s.io', resource: 'ingresses' });
    expect(groupResource('apps/v1', 'Deployment')).toEqual({ group: 'apps', resource: 'deployments' });
    expect(groupResource('gateway.networking.k8s.io/v1', 'Gateway')).toEqual({ group: 'gateway.networking.k8s.io', resource: 'gateways' });
  });
});
