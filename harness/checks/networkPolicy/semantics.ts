// What the NetworkPolicy API says about a flow of the model, computed from the
// policies themselves (networking.k8s.io/v1 semantics: a pod is isolated in a
// direction once a policy of that type selects it; a flow passes when both the
// source's egress and the destination's ingress allow it). Used to check the
// expected tables written for the built-in cases, and to state a suite case's
// expectation where its author left the table out. Pure; IPv4 only.
import { DNS_TARGET, flowKey, flows, targetPod, type Model, type Table } from './spec/model.ts';
import type { PolicyObject } from './spec/cases.ts';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Port[];
}
interface Spec {
  podSelector: Selector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** A workload the flows reach: a model pod or the cluster DNS server. */
interface Endpoint {
  namespace: string;
  nsLabels: Record<string, string>;
  labels: Record<string, string>;
  ip: string;
  /** Named ports it serves: name -> port/protocol. */
  ports: { name: string; port: number; protocol: string }[];
}

export function selects(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const v = labels[e.key];
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(v!))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(v!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function ipv4(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(net ?? '');
  const n = Number(bits ?? '32');
  if (a === undefined || b === undefined || !(n >= 0 && n <= 32)) return false;
  const size = 2 ** (32 - n);
  return Math.floor(a / size) === Math.floor(b / size);
}

function peerMatches(peer: Peer, policyNs: string, other: Endpoint): boolean {
  if (peer.ipBlock) return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, other.nsLabels) : other.namespace === policyNs;
  return nsOk && selects(peer.podSelector, other.labels);
}

function portMatches(ports: Port[] | undefined, dest: Endpoint, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return dest.ports.some((x) => x.name === p.port && x.port === port && x.protocol === protocol);
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

function typesOf(s: Spec): ('Ingress' | 'Egress')[] {
  return s.policyTypes ?? (s.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

function allowed(policies: { ns: string; spec: Spec }[], dir: 'Ingress' | 'Egress', subject: Endpoint, other: Endpoint, dest: Endpoint, port: number, protocol: string): boolean {
  const isolating = policies.filter((p) => p.ns === subject.namespace && typesOf(p.spec).includes(dir) && selects(p.spec.podSelector, subject.labels));
  if (isolating.length === 0) return true;
  return isolating.some((p) =>
    ((dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((r) => {
      const peers = dir === 'Ingress' ? r.from : r.to;
      return (!peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, p.ns, other))) && portMatches(r.ports, dest, port, protocol);
    }),
  );
}

export interface ModelFacts {
  /** Model pod id -> IP. */
  ips: ReadonlyMap<string, string>;
  /** The cluster DNS server as a peer (CoreDNS in kube-system); its IP need not be real. */
  dns?: { ip: string };
}

/** The table the API mandates for these policies (namespaces written as model short names). */
export function mandatedTable(model: Model, policies: PolicyObject[], facts: ModelFacts): Table {
  const endpoint = (id: string): Endpoint => {
    const [ns, pod] = id.split('/') as [string, string];
    return { namespace: ns, nsLabels: { ns }, labels: { pod }, ip: facts.ips.get(id) ?? '', ports: model.ports.map((p) => ({ ...p })) };
  };
  const dnsEp: Endpoint = {
    namespace: 'kube-system',
    nsLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
    labels: { 'k8s-app': 'kube-dns' },
    ip: facts.dns?.ip ?? '',
    ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
  };
  const ps = policies.map((p) => ({ ns: p.metadata.namespace, spec: p.spec as unknown as Spec }));
  const t: Table = new Map();
  for (const f of flows(model)) {
    const src = endpoint(f.from);
    let ok: boolean;
    if (f.to === DNS_TARGET) {
      // Policies in the model's namespaces never select CoreDNS: only the client's egress counts.
      ok = allowed(ps, 'Egress', src, dnsEp, dnsEp, 53, 'UDP');
    } else {
      const dst = endpoint(targetPod(f.to)!);
      const [num, protocol] = f.to.slice(f.to.indexOf(':') + 1).split('/') as [string, string];
      const port = Number(num);
      ok = allowed(ps, 'Egress', src, dst, dst, port, protocol) && allowed(ps, 'Ingress', dst, src, dst, port, protocol);
    }
    t.set(flowKey(f), ok ? 'allow' : 'deny');
  }
  return t;
}
