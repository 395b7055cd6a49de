// Pure detection of the known ways a CNI install goes wrong, from facts gathered
// elsewhere (diagnose.ts): node podCIDRs, CNI plugin listings, the CIDR the CNI
// was configured with, agent pod states and log lines. Each finding is a named
// Pitfall with what to do, so a stuck cluster says why instead of "timed out".
import type { NodeObject, PodObject } from '../../kube/objects.ts';
import type { Pitfall } from './recipe.ts';

export interface Cidr {
  base: number;
  bits: number;
}

/** IPv4 "a.b.c.d/n"; undefined for anything else (IPv6 is not compared). */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  // Network address: host bits cleared (plain arithmetic: JS bit operators are signed 32-bit).
  return { base: addr - (addr % 2 ** (32 - bits)), bits };
}

/** Is `inner` inside `outer`? undefined when either is not an IPv4 CIDR. */
export function cidrWithin(inner: string, outer: string): boolean | undefined {
  const i = parseCidr(inner);
  const o = parseCidr(outer);
  if (!i || !o) return undefined;
  if (i.bits < o.bits) return false;
  const size = 2 ** (32 - o.bits);
  return Math.floor(i.base / size) === Math.floor(o.base / size);
}

/** Same network and prefix length, host bits ignored; undefined when either is not IPv4. */
export function sameCidr(a: string, b: string): boolean | undefined {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return undefined;
  return x.base === y.base && x.bits === y.bits;
}

/** Names of `required` absent from an `ls -1` listing. */
export function missingFromListing(required: string[], listing: string): string[] {
  const present = new Set(listing.split('\n').map((l) => l.trim()).filter(Boolean));
  return required.filter((r) => !present.has(r));
}

export interface NodeFiles {
  node: string;
  /** `ls -1 /opt/cni/bin`, or undefined when it could not be read. */
  cniBin?: string;
  /** `ls -1 /etc/cni/net.d`. */
  cniConf?: string;
}

/** Plugins the node image must carry (the CNI's manifest does not install them). */
export function nodePluginPitfalls(required: string[], files: NodeFiles[]): Pitfall[] {
  const out: Pitfall[] = [];
  for (const f of files) {
    if (f.cniBin === undefined) continue;
    const missing = missingFromListing(required, f.cniBin);
    if (missing.length) {
      out.push({
        name: 'cni-plugin-missing',
        detail: `node ${f.node}: /opt/cni/bin has no ${missing.join(', ')} (has: ${f.cniBin.split('\n').filter(Boolean).join(', ') || 'nothing'})`,
        fix: `use a node image that carries the containernetworking plugins ${missing.join(', ')} in /opt/cni/bin (kindest/node does; kconform/node carries ${'bridge, host-local, portmap, loopback, flannel'})`,
      });
    }
  }
  return out;
}

/** Plugins and config the CNI's agent installs itself: only judged on nodes where the agent is Ready. */
export function agentInstallPitfalls(recipe: string, installs: string[], files: NodeFiles[], readyAgentNodes: Set<string>): Pitfall[] {
  const out: Pitfall[] = [];
  for (const f of files) {
    if (!readyAgentNodes.has(f.node)) continue;
    if (f.cniBin !== undefined && installs.length) {
      const missing = missingFromListing(installs, f.cniBin);
      if (missing.length) {
        out.push({
          name: 'cni-plugin-missing',
          detail: `node ${f.node}: the ${recipe} agent is Ready but /opt/cni/bin has no ${missing.join(', ')}`,
          fix: `the ${recipe} install step did not copy its plugin: check that /opt/cni/bin is the host path mounted into the agent and the CRI's CNI bin_dir`,
        });
      }
    }
    if (f.cniConf !== undefined && !f.cniConf.split('\n').some((l) => /\.(conflist|conf|json)$/.test(l.trim()))) {
      out.push({
        name: 'cni-config-missing',
        detail: `node ${f.node}: the ${recipe} agent is Ready but /etc/cni/net.d holds no CNI configuration`,
        fix: `check that the agent mounts the node's /etc/cni/net.d and that the CRI reads its CNI config from there`,
      });
    }
  }
  return out;
}

/** Nodes' spec.podCIDR against the cluster's pod subnet (flannel and kindnet route by it). */
export function nodePodCidrPitfalls(podSubnet: string, nodes: NodeObject[], opts: { required: boolean }): Pitfall[] {
  const out: Pitfall[] = [];
  const without = nodes.filter((n) => !n.spec?.podCIDR).map((n) => n.metadata.name ?? '?');
  if (opts.required && without.length) {
    out.push({
      name: 'node-pod-cidr-missing',
      detail: `node(s) ${without.join(', ')} have no spec.podCIDR`,
      fix: 'kube-controller-manager must run with --allocate-node-cidrs=true and --cluster-cidr equal to the pod subnet (kubeadm: networking.podSubnet)',
    });
  }
  for (const n of nodes) {
    const cidr = n.spec?.podCIDR;
    if (!cidr) continue;
    if (cidrWithin(cidr, podSubnet) === false) {
      out.push({
        name: 'pod-cidr-mismatch',
        detail: `node ${n.metadata.name}: spec.podCIDR ${cidr} is outside the cluster's pod subnet ${podSubnet}`,
        fix: 'the cluster was created with another pod subnet than the CNI was given: make --pod-subnet (kind networking.podSubnet) and the CNI network the same',
      });
    }
  }
  return out;
}

/** The network the CNI was configured with (flannel Network, calico pool, weave IPALLOC_RANGE, kindnet POD_SUBNET). */
export function configuredRangePitfall(podSubnet: string, configured: { value: string; source: string } | undefined): Pitfall | undefined {
  if (!configured) return undefined;
  if (sameCidr(configured.value, podSubnet) !== false) return undefined;
  return {
    name: 'pod-cidr-mismatch',
    detail: `${configured.source} is ${configured.value} but the cluster's pod subnet is ${podSubnet}`,
    fix: `render the CNI manifest with the cluster's pod subnet (${podSubnet}); pods get addresses kube-proxy does not treat as pod traffic otherwise`,
  };
}

export interface AgentPod extends PodObject {
  status?: PodObject['status'] & { initContainerStatuses?: NonNullable<PodObject['status']>['containerStatuses'] };
}

/** Image pull failures of the CNI's own pods: a registry the nodes cannot reach, or an image not loaded. */
export function imagePitfalls(pods: AgentPod[]): Pitfall[] {
  const stuck = new Map<string, string[]>();
  for (const p of pods) {
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
      const reason = c.state?.waiting?.reason ?? '';
      if (!/ImagePullBackOff|ErrImagePull|ErrImageNeverPull|InvalidImageName/.test(reason)) continue;
      const image = p.spec?.containers?.find((x) => x.name === c.name)?.image ?? imageOfInit(p, c.name) ?? c.name;
      stuck.set(image, [...(stuck.get(image) ?? []), `${p.metadata.name} ${reason}`]);
    }
  }
  return [...stuck].map(([image, where]) => ({
    name: 'cni-image-unavailable',
    detail: `image ${image} cannot be pulled (${where.slice(0, 3).join(', ')})`,
    fix: 'load it into Docker before creating the cluster (npx kconform images import bundle.tar), or give a reachable --registry-mirror',
  }));
}

function imageOfInit(p: AgentPod, container: string): string | undefined {
  const spec = p.spec as { initContainers?: { name: string; image?: string }[] } | undefined;
  return spec?.initContainers?.find((x) => x.name === container)?.image;
}

export interface LogPattern {
  re: RegExp;
  name: string;
  fix: string;
}

/** Log lines known to explain a crashing agent. The first matching line is quoted. */
export function logPitfalls(pod: string, logs: string, patterns: LogPattern[]): Pitfall[] {
  const lines = logs.split('\n');
  const out: Pitfall[] = [];
  for (const p of patterns) {
    const line = lines.find((l) => p.re.test(l));
    if (line) out.push({ name: p.name, detail: `${pod} logged: ${line.trim().slice(0, 240)}`, fix: p.fix });
  }
  return out;
}

/** One finding per name and detail, in order. */
export function uniquePitfalls(found: Pitfall[]): Pitfall[] {
  const seen = new Set<string>();
  return found.filter((p) => {
    const k = `${p.name}\u0000${p.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
