// The `networkPolicy` check: NetworkPolicy enforcement measured as truth tables
// over a model of namespaces x pods x ports. Cases are the built-in ones and/or
// the suite's own (policies written inline or as files, plus the expected table as rules).
import { z } from 'zod';
import type { FileRef, SpecFiles } from '../kind-list.ts';
import { Duration, commonCheckFields } from '../../suite/common.ts';
import { MODEL_PORTS } from './spec/model.ts';
import { NotationError, parseRule } from './spec/notation.ts';
import { BUILTIN_CASES } from './spec/cases.ts';

const DnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a lowercase name of letters, digits and dashes' });
const ShortName = DnsLabel.max(8, { error: 'expected at most 8 characters (it becomes part of a namespace name)' });

const LabelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const Peer = z.strictObject({
  podSelector: LabelSelector.optional(),
  namespaceSelector: LabelSelector.optional(),
  ipBlock: z.strictObject({ cidr: z.string().min(1), except: z.array(z.string().min(1)).optional() }).optional(),
});

const PolicyPort = z.strictObject({
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  port: z.union([z.int().min(1).max(65535), DnsLabel]).optional(),
  endPort: z.int().min(1).max(65535).optional(),
});

const NetworkPolicySpec = z.strictObject({
  podSelector: LabelSelector,
  policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
  ingress: z.array(z.strictObject({ from: z.array(Peer).optional(), ports: z.array(PolicyPort).optional() })).optional(),
  egress: z.array(z.strictObject({ to: z.array(Peer).optional(), ports: z.array(PolicyPort).optional() })).optional(),
});

export const PolicyManifest = z
  .strictObject({
    apiVersion: z.literal('networking.k8s.io/v1'),
    kind: z.literal('NetworkPolicy'),
    metadata: z.strictObject({ name: DnsLabel, namespace: ShortName.describe('A model namespace (x, y, z by default).') }),
    spec: NetworkPolicySpec,
  })
  .describe('A NetworkPolicy in a model namespace; `${podIP:ns/pod}` in an ipBlock becomes that pod\'s IP.');

/** A policy as a file: its documents are NetworkPolicies (harness/suite/spec-files.ts reads them at load time). */
export const PolicyFile = z
  .strictObject({ file: z.string().min(1).describe('YAML file of one or more NetworkPolicies, relative to the suite file, else to the fixtures/ folder.') })
  .describe('NetworkPolicies from a file next to the suite or in fixtures/.');

const Policies = z
  .array(z.union([PolicyManifest, PolicyFile], { error: 'expected a NetworkPolicy or {file: path}' }))
  .describe('NetworkPolicies, written inline or as {file: path}.');

const Rules = z.array(z.string().min(1)).describe('Expected table: rules "FROM -> TO allow|deny", later ones win, unmatched flows allowed.');

const Step = z.strictObject({
  label: z.string().min(1).optional(),
  policies: Policies.optional().describe('Created, or replaced when one of that namespace/name exists; inline or {file: path}.'),
  remove: z.array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { error: 'expected ns/name' })).optional().describe('Policies deleted in this step: ns/name.'),
  expect: Rules,
});

const Case = z
  .strictObject({
    name: DnsLabel,
    policies: Policies.optional(),
    expect: Rules.optional(),
    steps: z.array(Step).min(1).optional().describe('Changes in order, each with its expected table (time until enforced measured per step).'),
  })
  .refine((c) => (c.steps === undefined) !== (c.expect === undefined), { error: 'expected either expect (with policies) or steps' })
  .refine((c) => c.steps === undefined || c.policies === undefined, { error: 'expected policies inside each step when steps are given', path: ['policies'] });

export const NetworkPolicyCheckSpec = z
  .strictObject({
    kind: z.literal('networkPolicy'),
    ...commonCheckFields,
    enforcement: z.enum(['required', 'optional']).optional().describe('optional: on a cluster that does not enforce NetworkPolicy the check is skipped, not failed (default required).'),
    namespaces: z.array(ShortName).min(2).max(5).optional().describe('Model namespaces (default x, y, z); each is labelled ns=<name>.'),
    pods: z.array(ShortName).min(1).max(4).optional().describe('Model pods in every namespace (default a, b); each is labelled pod=<name> and serves TCP 80, 81 and UDP 80.'),
    dns: z.boolean().optional().describe('Probe a DNS lookup from every pod (the dns column; default true).'),
    builtIn: z.union([z.boolean(), z.array(z.enum(BUILTIN_CASES.map((c) => c.name) as [string, ...string[]]))]).optional().describe('Built-in cases to run: true (all), false, or their names (default: all unless cases are given).'),
    cases: z.array(Case).optional().describe("The suite's own cases."),
    settle: Duration.optional().describe('How long a change may take to be enforced before its table is judged (default 10s).'),
    probeTimeout: Duration.optional().describe('Time limit of one probe (default 1s).'),
    readyTimeout: Duration.optional().describe('How long the model pods may take to become Ready (default 90s).'),
  })
  .superRefine((s, ctx) => {
    const model = { namespaces: modelNamespaces(s), pods: s.pods ?? ['a', 'b'], ports: MODEL_PORTS };
    const rulesAt = (rules: string[] | undefined, path: (string | number)[]) =>
      rules?.forEach((r, j) => {
        try {
          parseRule(r, model);
        } catch (err) {
          if (err instanceof NotationError) ctx.addIssue({ code: 'custom', message: `column ${err.column} of the rule: ${err.message}`, path: [...path, j] });
          else throw err;
        }
      });
    const policiesAt = (ps: ({ metadata: { namespace: string } } | { file: string })[] | undefined, path: (string | number)[]) =>
      ps?.forEach((p, j) => {
        // A file's policies are checked when the loader reads it (policyFiles below).
        if ('metadata' in p && !model.namespaces.includes(p.metadata.namespace)) {
          ctx.addIssue({ code: 'custom', message: `expected a model namespace (${model.namespaces.join(', ')}), got '${p.metadata.namespace}'`, path: [...path, j, 'metadata', 'namespace'] });
        }
      });
    s.cases?.forEach((c, i) => {
      rulesAt(c.expect, ['cases', i, 'expect']);
      policiesAt(c.policies, ['cases', i, 'policies']);
      c.steps?.forEach((st, k) => {
        rulesAt(st.expect, ['cases', i, 'steps', k, 'expect']);
        policiesAt(st.policies, ['cases', i, 'steps', k, 'policies']);
      });
    });
    const names = new Set<string>();
    s.cases?.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', message: `case name '${c.name}' is used twice`, path: ['cases', i, 'name'] });
      names.add(c.name);
    });
  })
  .describe('NetworkPolicy enforcement measured: every flow of a namespaces x pods x ports model probed, truth tables expected vs observed per case.');
export type NetworkPolicyCheckSpec = z.infer<typeof NetworkPolicyCheckSpec>;

/** The model's namespaces: the spec's, else x, y, z. */
export function modelNamespaces(spec: Pick<NetworkPolicyCheckSpec, 'namespaces'>): string[] {
  return spec.namespaces ?? ['x', 'y', 'z'];
}

type PolicyEntry = z.infer<typeof PolicyManifest> | z.infer<typeof PolicyFile>;

/** The policies of a case or step once the loader has read their files (a file left means the loader was bypassed). */
export function inlinePolicies(list: readonly PolicyEntry[] | undefined): z.infer<typeof PolicyManifest>[] {
  return (list ?? []).map((p) => {
    if ('file' in p) throw new Error(`policy file '${p.file}' was not read: suites are loaded with loadSuiteFile/loadSuites, which put a file's policies in place`);
    return p;
  });
}

/** Policies named as files in a spec: each case's and each step's. */
export const policyFiles: SpecFiles<NetworkPolicyCheckSpec> = {
  holds: 'a NetworkPolicy',
  refs(spec) {
    const refs: FileRef[] = [];
    const from = (list: readonly PolicyEntry[] | undefined, at: (string | number)[]) =>
      list?.forEach((p, j) => {
        if ('file' in p) refs.push({ at: [...at, j], file: p.file });
      });
    spec.cases?.forEach((c, i) => {
      from(c.policies, ['cases', i, 'policies']);
      c.steps?.forEach((st, k) => from(st.policies, ['cases', i, 'steps', k, 'policies']));
    });
    return refs;
  },
  gate(doc) {
    const d = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
    if (d?.apiVersion === 'networking.k8s.io/v1' && d.kind === 'NetworkPolicy') return undefined;
    return 'expected a NetworkPolicy (apiVersion networking.k8s.io/v1, kind NetworkPolicy), got another kind of document';
  },
  document: PolicyManifest,
  check(doc, spec) {
    const namespaces = modelNamespaces(spec);
    const ns = (doc as z.infer<typeof PolicyManifest>).metadata.namespace;
    return namespaces.includes(ns) ? [] : [{ path: ['metadata', 'namespace'], message: `expected a model namespace (${namespaces.join(', ')}), got '${ns}'` }];
  },
  inline(spec, docs) {
    const byRef = new Map(policyFiles.refs(spec).map((r, i) => [r.at.join('.'), docs[i] ?? []]));
    const put = (list: PolicyEntry[] | undefined, at: (string | number)[]) =>
      list?.flatMap((p, j) => ('file' in p ? ((byRef.get([...at, j].join('.')) ?? []) as PolicyEntry[]) : [p]));
    return {
      ...spec,
      ...(spec.cases
        ? {
            cases: spec.cases.map((c, i) => ({
              ...c,
              ...(c.policies ? { policies: put(c.policies, ['cases', i, 'policies']) } : {}),
              ...(c.steps ? { steps: c.steps.map((st, k) => ({ ...st, ...(st.policies ? { policies: put(st.policies, ['cases', i, 'steps', k, 'policies']) } : {}) })) } : {}),
            })),
          }
        : {}),
    };
  },
};
