// Routing-mode evidence: how pods on one node reach pods on another, read from
// each node's routing table and links (`ip -4 route`, `ip -d link` in a
// hostNetwork pod) and, for a BGP-routed CNI, its BGP sessions (`gobgp
// neighbor` in kube-router's pod). Pure: parsing and judging.
//   bgp      each other node's pod CIDR routed via that node's IP, no tunnel
//            device carrying it, every BGP session Established
//   host-gw  the same routes, no BGP to read
//   vxlan    each other node's pod CIDR routed through a vxlan device
import type { RoutingMode } from '../../cluster/cni/table.ts';

export interface Route {
  dst: string;
  via?: string;
  dev?: string;
  proto?: string;
}

export interface Link {
  name: string;
  /** vxlan, ipip, geneve, wireguard, bridge, veth...; '' when ip does not say. */
  kind: string;
}

export interface BgpPeer {
  peer: string;
  as: string;
  state: string;
}

export interface NodeRouting {
  node: string;
  ip?: string;
  podCidr?: string;
  routes: Route[];
  links: Link[];
  /** BGP sessions as the CNI's agent on this node reports them; undefined when not read. */
  bgp?: BgpPeer[];
  /** Why something could not be read on this node. */
  error?: string;
}

export const TUNNEL_KINDS = ['vxlan', 'ipip', 'gre', 'geneve', 'wireguard', 'sit', 'ip6tnl', 'fou'];

export function parseRoutes(text: string): Route[] {
  const out: Route[] = [];
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (!w[0] || w[0] === 'unreachable' || w[0] === 'blackhole') continue;
    const r: Route = { dst: w[0] };
    for (let i = 1; i < w.length - 1; i++) {
      if (w[i] === 'via') r.via = w[i + 1]!;
      if (w[i] === 'dev') r.dev = w[i + 1]!;
      if (w[i] === 'proto') r.proto = w[i + 1]!;
    }
    out.push(r);
  }
  return out;
}

/** `ip -d link show`: "3: flannel.1: <...> ..." then an indented line whose first word after link/ether... names the kind ("vxlan id 1 ..."). */
export function parseLinks(text: string): Link[] {
  const out: Link[] = [];
  let cur: Link | undefined;
  for (const line of text.split('\n')) {
    const head = /^\d+:\s+([^:@\s]+)(?:@[^:]+)?:/.exec(line);
    if (head) {
      cur = { name: head[1]!, kind: '' };
      out.push(cur);
      continue;
    }
    if (!cur || cur.kind) continue;
    const t = line.trim();
    if (t.startsWith('link/')) continue;
    const k = /^(\S+)/.exec(t)?.[1];
    if (k && /^[a-z0-9_]+$/.test(k)) cur.kind = k;
  }
  return out;
}

/** `gobgp neighbor`: a header, then "PEER AS UP/DOWN STATE |#Received Accepted". */
export function parseGobgpNeighbors(text: string): BgpPeer[] {
  const out: BgpPeer[] = [];
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w.length >= 4 && /^[0-9a-fA-F.:]+$/.test(w[0]!) && /^\d+$/.test(w[1]!)) {
      // "never" takes the Up/Down column when the session never came up
      out.push({ peer: w[0]!, as: w[1]!, state: w[3]!.replace(/\|.*$/, '') });
    }
  }
  return out;
}

export interface RoutingVerdict {
  /** What the routes show: the mode the evidence fits, or 'unclear'. */
  observed: RoutingMode | 'unclear';
  problems: string[];
  rows: string[][];
  /** BGP sessions read on each node: node, peer (node name and IP), AS, state; empty when no CNI speaks BGP. */
  bgpRows: string[][];
}

/** How this node reaches `other`'s pod CIDR: 'via-node', 'tunnel', 'missing' or 'other'. */
function pathTo(n: NodeRouting, other: NodeRouting): { kind: 'via-node' | 'tunnel' | 'missing' | 'other'; text: string } {
  const r = n.routes.find((x) => x.dst === other.podCidr);
  if (!r) return { kind: 'missing', text: `no route to ${other.podCidr ?? '?'}` };
  const text = `${r.dst}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.proto ? ` proto ${r.proto}` : ''}`;
  const dev = n.links.find((l) => l.name === r.dev);
  if (dev && TUNNEL_KINDS.includes(dev.kind)) return { kind: 'tunnel', text: `${text} (${dev.kind})` };
  if (r.via && r.via === other.ip) return { kind: 'via-node', text };
  return { kind: 'other', text };
}

export function judgeRouting(nodes: NodeRouting[], expected: RoutingMode | undefined): RoutingVerdict {
  const problems: string[] = [];
  const rows: string[][] = [];
  const kinds = new Set<string>();
  for (const n of nodes) {
    if (n.error) {
      problems.push(`${n.node}: ${n.error}`);
      continue;
    }
    for (const o of nodes) {
      if (o === n || !o.podCidr) continue;
      const p = pathTo(n, o);
      kinds.add(p.kind);
      rows.push([n.node, o.node, o.podCidr, p.text, p.kind]);
    }
  }
  const tunnels = (n: NodeRouting) => n.links.filter((l) => TUNNEL_KINDS.includes(l.kind));
  const observed: RoutingVerdict['observed'] =
    kinds.size === 1 && kinds.has('tunnel') ? (nodes.every((n) => tunnels(n).some((t) => t.kind === 'vxlan')) ? 'vxlan' : 'overlay')
    : kinds.size === 1 && kinds.has('via-node') ? (nodes.some((n) => n.bgp !== undefined) ? 'bgp' : 'host-gw')
    : 'unclear';
  if (expected === 'bgp' || expected === 'host-gw' || expected === 'routes') {
    for (const r of rows) if (r[4] !== 'via-node') problems.push(`${r[0]}: pods of ${r[1]} (${r[2]}) not routed via ${r[1]}'s IP: ${r[3]}`);
    for (const n of nodes) for (const t of tunnels(n)) problems.push(`${n.node}: tunnel device ${t.name} (${t.kind}) present; ${expected} routing needs none`);
  }
  if (expected === 'vxlan') {
    for (const r of rows) if (r[4] !== 'tunnel') problems.push(`${r[0]}: pods of ${r[1]} (${r[2]}) not routed through a vxlan device: ${r[3]}`);
    for (const n of nodes) if (!n.error && !tunnels(n).some((t) => t.kind === 'vxlan')) problems.push(`${n.node}: no vxlan device`);
  }
  if (expected === 'bgp') {
    for (const n of nodes) {
      if (n.error) continue;
      if (!n.bgp) {
        problems.push(`${n.node}: BGP sessions not read`);
        continue;
      }
      const others = nodes.filter((o) => o !== n && o.ip).map((o) => o.ip!);
      for (const ip of others) {
        const s = n.bgp.find((b) => b.peer === ip);
        if (!s) problems.push(`${n.node}: no BGP session with ${ip}`);
        else if (!/^establ/i.test(s.state)) problems.push(`${n.node}: BGP session with ${ip} is ${s.state}, not Established`);
      }
    }
  }
  const nameOf = (ip: string) => nodes.find((o) => o.ip === ip)?.node;
  const bgpRows = nodes.flatMap((n) => (n.bgp ?? []).map((b) => [n.node, nameOf(b.peer) ? `${nameOf(b.peer)} (${b.peer})` : b.peer, b.as, b.state]));
  return { observed, problems, rows, bgpRows };
}
