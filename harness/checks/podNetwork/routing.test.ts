import { describe, expect, it } from 'vitest';
import { judgeRouting, parseGobgpNeighbors, parseLinks, parseRoutes, type NodeRouting } from './routing.ts';

// As read on kind nodes of the testbed (kube-router: proto 17 = zebra/bgp routes; flannel: flannel.1).
const KR_ROUTES = `default via 172.18.0.1 dev eth0
10.244.0.0/24 dev kube-bridge proto kernel scope link src 10.244.0.1
10.244.1.0/24 via 172.18.0.3 dev eth0 proto 17
10.244.2.0/24 via 172.18.0.4 dev eth0 proto 17
172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2`;
const KR_LINKS = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0 minmtu 0 maxmtu 0 addrgenmode eui64
3: kube-bridge: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 2a:1b:3c:4d:5e:6f brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 65535
    bridge forward_delay 1500 hello_time 200 max_age 2000
4: veth1a2b@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master kube-bridge state UP
    link/ether 11:22:33:44:55:66 brd ff:ff:ff:ff:ff:ff link-netnsid 1 promiscuity 1
    veth
    bridge_slave state forwarding
45: eth0@if46: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP
    link/ether 02:42:ac:12:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0 promiscuity 0
    veth`;
const FLANNEL_LINKS = `5: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default
    link/ether 6e:2a:bb:cc:dd:ee brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 65535
    vxlan id 1 local 172.18.0.2 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300`;
const GOBGP = `Peer           AS  Up/Down State       |#Received  Accepted
172.18.0.3  64512 00:02:11 Establ      |        1         1
172.18.0.4  64512    never Active      |        0         0`;

const node = (name: string, ip: string, cidr: string, routes: string, links: string, bgp?: string): NodeRouting => ({
  node: name,
  ip,
  podCidr: cidr,
  routes: parseRoutes(routes),
  links: parseLinks(links),
  ...(bgp !== undefined ? { bgp: parseGobgpNeighbors(bgp) } : {}),
});

describe('routing evidence', () => {
  it('parses routes, link kinds and BGP sessions', () => {
    expect(parseRoutes(KR_ROUTES)[2]).toEqual({ dst: '10.244.1.0/24', via: '172.18.0.3', dev: 'eth0', proto: '17' });
    expect(parseLinks(KR_LINKS).map((l) => `${l.name}:${l.kind}`)).toEqual(['lo:', 'kube-bridge:bridge', 'veth1a2b:veth', 'eth0:veth']);
    expect(parseLinks(FLANNEL_LINKS)).toEqual([{ name: 'flannel.1', kind: 'vxlan' }]);
    expect(parseGobgpNeighbors(GOBGP)).toEqual([
      { peer: '172.18.0.3', as: '64512', state: 'Establ' },
      { peer: '172.18.0.4', as: '64512', state: 'Active' },
    ]);
  });

  const routesOf = (self: number) =>
    [0, 1, 2].filter((i) => i !== self).map((i) => `10.244.${i}.0/24 via 172.18.0.${i + 2} dev eth0 proto 17`).join('\n');
  const established = (self: number) =>
    'Peer AS Up/Down State |#Received Accepted\n' + [0, 1, 2].filter((i) => i !== self).map((i) => `172.18.0.${i + 2} 64512 00:01:00 Establ | 1 1`).join('\n');
  const bgpNodes = (bgp: (i: number) => string) => [0, 1, 2].map((i) => node(`n${i}`, `172.18.0.${i + 2}`, `10.244.${i}.0/24`, routesOf(i), KR_LINKS, bgp(i)));

  it('BGP: routes via node IPs, no tunnel, every session Established', () => {
    const v = judgeRouting(bgpNodes(established), 'bgp');
    expect(v.observed).toBe('bgp');
    expect(v.problems).toEqual([]);
    expect(v.rows).toContainEqual(['n0', 'n1', '10.244.1.0/24', '10.244.1.0/24 via 172.18.0.3 dev eth0 proto 17', 'via-node']);
  });

  it('BGP: a session that is not Established is named', () => {
    const v = judgeRouting(bgpNodes((i) => (i === 0 ? GOBGP : established(i))), 'bgp');
    expect(v.problems).toEqual(['n0: BGP session with 172.18.0.4 is Active, not Established']);
    // The evidence lists every session read, peers by node name, the one not Established included.
    expect(v.bgpRows).toHaveLength(6);
    expect(v.bgpRows).toContainEqual(['n0', 'n2 (172.18.0.4)', '64512', 'Active']);
    expect(v.bgpRows).toContainEqual(['n1', 'n0 (172.18.0.2)', '64512', 'Establ']);
  });

  it('vxlan: routes through flannel.1; expecting BGP there fails with the reasons', () => {
    const nodes = [0, 1].map((i) => node(`n${i}`, `172.18.0.${i + 2}`, `10.244.${i}.0/24`, `10.244.${1 - i}.0/24 via 10.244.${1 - i}.0 dev flannel.1 onlink`, FLANNEL_LINKS));
    expect(judgeRouting(nodes, 'vxlan')).toMatchObject({ observed: 'vxlan', problems: [] });
    const asBgp = judgeRouting(nodes, 'bgp');
    expect(asBgp.problems).toContain("n0: pods of n1 (10.244.1.0/24) not routed via n1's IP: 10.244.1.0/24 via 10.244.1.0 dev flannel.1 (vxlan)");
    expect(asBgp.problems).toContain('n0: tunnel device flannel.1 (vxlan) present; bgp routing needs none');
    expect(asBgp.problems).toContain('n0: BGP sessions not read');
    expect(asBgp.bgpRows).toEqual([]);
  });

  it('host-gw: routes via node IPs without BGP; a missing route is named', () => {
    const nodes = [0, 1].map((i) => node(`n${i}`, `172.18.0.${i + 2}`, `10.244.${i}.0/24`, i === 0 ? '10.244.1.0/24 via 172.18.0.3 dev eth0' : '', ''));
    const v = judgeRouting(nodes, 'host-gw');
    expect(v.observed).toBe('unclear');
    expect(v.problems).toEqual(["n1: pods of n0 (10.244.0.0/24) not routed via n0's IP: no route to 10.244.0.0/24"]);
  });
});
