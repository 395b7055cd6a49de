// The built-in NetworkPolicy cases over the default model (namespaces x, y, z;
// pods a, b; TCP 80, 81, UDP 80; DNS). Each case applies its policies, expects
// a truth table (notation.ts) and removes them again. Policy namespaces are the
// model's short names; `${podIP:ns/pod}` in an ipBlock is replaced by that pod's IP.

export interface PolicyObject {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
}

export interface CaseStep {
  /** What this step does, e.g. "added", "changed", "removed". */
  label: string;
  /** Policies created or replaced (same namespace/name) in this step. */
  apply: PolicyObject[];
  /** Policies deleted in this step: "ns/name". */
  remove?: string[];
  /** Expected table as rules; unmatched flows are allowed. */
  expect: string[];
}

export interface PolicyCase {
  name: string;
  steps: CaseStep[];
}

export function policy(namespace: string, name: string, spec: Record<string, unknown>): PolicyObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const pod = (name: string) => ({ matchLabels: { pod: name } });
const ns = (name: string) => ({ matchLabels: { ns: name } });
const one = (label: string, apply: PolicyObject[], expect: string[]): CaseStep[] => [{ label, apply, expect }];

export const BUILTIN_CASES: readonly PolicyCase[] = [
  {
    name: 'default-deny-ingress',
    steps: one('added', [policy('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })], ['* -> x/* deny']),
  },
  {
    name: 'default-deny-egress',
    steps: one('added', [policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })], ['x/* -> * deny']),
  },
  {
    name: 'allow-from-namespace',
    steps: one(
      'added',
      [policy('x', 'from-ns-y', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: ns('y') }] }] })],
      ['* -> x/* deny', 'y/* -> x/* allow'],
    ),
  },
  {
    name: 'allow-from-pod',
    steps: one(
      'added',
      [policy('x', 'a-from-b', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: pod('b') }] }] })],
      ['* -> x/a deny', 'x/b -> x/a allow'],
    ),
  },
  {
    // One peer with both selectors: pods b of namespace y only (AND, not OR).
    name: 'allow-from-namespace-and-pod',
    steps: one(
      'added',
      [policy('x', 'a-from-y-b', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: ns('y'), podSelector: pod('b') }] }] })],
      ['* -> x/a deny', 'y/b -> x/a allow'],
    ),
  },
  {
    name: 'allow-port',
    steps: one(
      'added',
      [policy('x', 'a-port-81', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 81 }] }] })],
      ['* -> x/a deny', '* -> x/a:81 allow'],
    ),
  },
  {
    name: 'allow-named-port',
    steps: one(
      'added',
      [policy('x', 'a-named-udp', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 'serve-80-udp' }] }] })],
      ['* -> x/a deny', '*/* -> x/a:serve-80-udp allow'],
    ),
  },
  {
    name: 'allow-port-range',
    steps: one(
      'added',
      [policy('x', 'a-80-to-81', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 80, endPort: 81 }] }] })],
      ['* -> x/a deny', '* -> x/a:80 allow', '* -> x/a:81 allow'],
    ),
  },
  {
    name: 'egress-deny-allows-dns',
    steps: one(
      'added',
      [
        policy('x', 'egress-dns-only', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
        }),
      ],
      ['x/* -> * deny', 'x/* -> dns allow'],
    ),
  },
  {
    name: 'ip-block-except',
    steps: one(
      'added',
      [
        policy('x', 'a-ipblock', {
          podSelector: pod('a'),
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['${podIP:y/b}/32'] } }] }],
        }),
      ],
      ['y/b -> x/a deny'],
    ),
  },
  {
    // policyTypes names both directions and the policy has no rules: x/a is isolated both ways.
    name: 'policy-types-without-rules',
    steps: one('added', [policy('x', 'a-isolated', { podSelector: pod('a'), policyTypes: ['Ingress', 'Egress'] })], ['* -> x/a deny', 'x/a -> * deny']),
  },
  {
    // Enforcement follows the API: a policy added, changed and removed while traffic is probed.
    name: 'added-changed-removed',
    steps: [
      { label: 'added', apply: [policy('y', 'a-live', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: pod('b') }] }] })], expect: ['* -> y/a deny', 'y/b -> y/a allow'] },
      {
        label: 'changed',
        apply: [policy('y', 'a-live', { podSelector: pod('a'), policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: ns('z') }] }] })],
        expect: ['* -> y/a deny', 'z/* -> y/a allow'],
      },
      { label: 'removed', apply: [], remove: ['y/a-live'], expect: [] },
    ],
  },
];

const POD_IP = /\$\{podIP:([a-z0-9-]+\/[a-z0-9-]+)\}/g;

/** Replaces `${podIP:ns/pod}` in every string of a policy; throws naming a pod without an IP. */
export function resolvePodIps<T>(value: T, ips: ReadonlyMap<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(POD_IP, (_m, id: string) => {
        const ip = ips.get(id);
        if (!ip) throw new Error(`\${podIP:${id}}: no model pod ${id} with an IP`);
        return ip;
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
