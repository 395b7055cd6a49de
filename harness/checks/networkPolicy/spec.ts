// The `networkPolicy` check: NetworkPolicy enforcement measured as truth tables
// over a model of namespaces x pods x ports. Cases are the built-in ones and/or
// the suite's own (policies written here plus the expected table as rules).
import { z } from 'zod';
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

const Rules = z.array(z.string().min(1)).describe('Expected table: rules "FROM -> TO allow|deny", later ones win, unmatched flows allowed.');

const Step = z.strictObject({
  label: z.string().min(1).optional(),
  policies: z.array(PolicyManifest).optional().describe('Created, or replaced when one of that namespace/name exists.'),
  remove: z.array(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { error: 'expected ns/name' })).optional().describe('Policies deleted in this step: ns/name.'),
  expect: Rules,
});

const Case = z
  .strictObject({
    name: DnsLabel,
    policies: z.array(PolicyManifest).optional(),
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
    const model = { namespaces: s.namespaces ?? ['x', 'y', 'z'], pods: s.pods ?? ['a', 'b'], ports: MODEL_PORTS };
    const rulesAt = (rules: string[] | undefined, path: (string | number)[]) =>
      rules?.forEach((r, j) => {
        try {
          parseRule(r, model);
        } catch (err) {
          if (err instanceof NotationError) ctx.addIssue({ code: 'custom', message: `column ${err.column} of the rule: ${err.message}`, path: [...path, j] });
          else throw err;
        }
      });
    const policiesAt = (ps: { metadata: { namespace: string } }[] | undefined, path: (string | number)[]) =>
      ps?.forEach((p, j) => {
        if (!model.namespaces.includes(p.metadata.namespace)) {
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
