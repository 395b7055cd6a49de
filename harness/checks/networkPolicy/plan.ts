// Which cases a networkPolicy check runs, as steps with parsed expected tables:
// the built-in ones the spec selects, then the suite's own. Pure.
import { inlinePolicies, type NetworkPolicyCheckSpec } from './spec.ts';
import { BUILTIN_CASES, type PolicyCase, type PolicyObject } from './spec/cases.ts';
import { MODEL_PORTS, type Model } from './spec/model.ts';

export function modelOf(spec: NetworkPolicyCheckSpec): Model {
  return { namespaces: spec.namespaces ?? ['x', 'y', 'z'], pods: spec.pods ?? ['a', 'b'], ports: MODEL_PORTS, dns: spec.dns ?? true };
}

/** Built-in cases need the default namespaces and pods (x, y, z; a, b). */
function builtInsFit(model: Model): boolean {
  return ['x', 'y', 'z'].every((n) => model.namespaces.includes(n)) && ['a', 'b'].every((p) => model.pods.includes(p));
}

export function casesOf(spec: NetworkPolicyCheckSpec, model: Model): { cases: PolicyCase[]; notes: string[] } {
  const notes: string[] = [];
  const want = spec.builtIn ?? (spec.cases === undefined || spec.cases.length === 0);
  let builtIns: PolicyCase[] = want === true ? [...BUILTIN_CASES] : want === false ? [] : BUILTIN_CASES.filter((c) => (want as string[]).includes(c.name));
  if (builtIns.length && !builtInsFit(model)) {
    notes.push('built-in cases left out: they need namespaces x, y, z and pods a, b in the model');
    builtIns = [];
  }
  if (builtIns.length && !model.dns) {
    builtIns = builtIns.filter((c) => c.name !== 'egress-deny-allows-dns');
  }
  const own: PolicyCase[] = (spec.cases ?? []).map((c) => ({
    name: c.name,
    steps: c.steps
      ? c.steps.map((s, i) => ({ label: s.label ?? `step ${i + 1}`, apply: inlinePolicies(s.policies) as PolicyObject[], ...(s.remove ? { remove: s.remove } : {}), expect: s.expect }))
      : [{ label: 'added', apply: inlinePolicies(c.policies) as PolicyObject[], expect: c.expect ?? [] }],
  }));
  return { cases: [...builtIns, ...own], notes };
}
