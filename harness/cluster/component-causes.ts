// Known causes of a crash-looping CNI agent, kube-proxy or CoreDNS, named from
// the last lines of its log (the previous container's too, when it restarted):
// a pod CIDR the CNI was not configured for, a missing CNI plugin binary, a
// missing kernel module, a DNS forward loop. The rules are pure; the reader is
// best effort (a log that cannot be read names nothing).
import type { Kube } from '../kube/client.ts';
import { podReady, type PodObject } from '../kube/objects.ts';
import { crashLooping } from './nodes-evaluate.ts';

export interface KnownCause {
  /** Short name, e.g. "CIDR mismatch". */
  name: string;
  re: RegExp;
  /** The sentence, given the matching log line. */
  say(line: string, m: RegExpMatchArray): string;
}

const trimLine = (l: string) => l.replace(/^[IWEF]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\]\s*/, '').trim().slice(0, 300);

export const KNOWN_CAUSES: KnownCause[] = [
  {
    name: 'CIDR mismatch',
    re: /subnet "?([\d.:/a-f]+)"? specified in the flannel net config doesn'?t contain "?([\d.:/a-f]+)"? PodCIDR of the "?([\w.-]+)"? node/i,
    say: (_l, m) => `CIDR mismatch: the CNI is configured for ${m[1]} but node ${m[3]} has podCIDR ${m[2]} (kubeadm --pod-network-cidr and the CNI's network must agree)`,
  },
  {
    name: 'no podCIDR',
    re: /node "?([\w.-]+)"? pod cidr not assigned|node .* has no podCIDR/i,
    say: (l) => `the node has no podCIDR (the controller manager allocates none: kubeadm init without --pod-network-cidr?): ${trimLine(l)}`,
  },
  {
    name: 'missing CNI plugin binary',
    re: /failed to find plugin "([\w-]+)" in path \[?([^\]\s]+)\]?/i,
    say: (_l, m) => `missing CNI plugin binary: "${m[1]}" is not in ${m[2]} on the node (install the CNI plugins package or the CNI's own installer)`,
  },
  {
    name: 'missing kernel module',
    re: /(br_netfilter|bridge-nf-call-iptables|nf_conntrack|ip_vs\w*|vxlan|xt_\w+|ip6?table_\w+)[^\n]*(no such file or directory|not found|not supported|FATAL: Module|modprobe)|(modprobe|Module) ([\w-]+) not found|failed to load kernel module ([\w-]+)/i,
    say: (l, m) => `missing kernel module${m[1] ? ` (${m[1].replace('bridge-nf-call-iptables', 'br_netfilter')})` : m[4] ? ` (${m[4]})` : m[5] ? ` (${m[5]})` : ''}: ${trimLine(l)}`,
  },
  {
    name: 'forward loop',
    re: /plugin\/loop: Loop \(([^)]*)\) detected for zone "([^"]*)"/i,
    say: (_l, m) => `forward loop: CoreDNS forwards to itself (${m[1]}, zone ${m[2]}): the node's resolv.conf points at a local resolver; forward to a real upstream or set kubelet --resolv-conf`,
  },
];

/** The first known cause in these log lines (last lines weigh most: searched newest first). */
export function causeFromLog(log: string): string | undefined {
  const lines = log.split('\n').filter((l) => l.trim()).reverse();
  for (const line of lines) {
    for (const c of KNOWN_CAUSES) {
      const m = line.match(c.re);
      if (m) return c.say(line, m);
    }
  }
  return undefined;
}

/** The last non-empty log line, for a crash no known cause explains. */
export function lastLine(log: string): string | undefined {
  const l = log.split('\n').map((x) => x.trim()).filter(Boolean).at(-1);
  return l ? trimLine(l) : undefined;
}

interface PodWithInit extends PodObject {
  status?: PodObject['status'] & { initContainerStatuses?: { name: string; restartCount: number; ready: boolean; state?: unknown }[] };
}

/**
 * For each unhealthy pod: a known cause from its last log lines, or its last line.
 * Reads at most `max` pods, 40 lines each, current and previous container.
 */
export async function componentCauses(kube: Kube, pods: PodObject[], opts: { signal?: AbortSignal; max?: number } = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const now = Date.now();
  for (const p of pods.filter((x) => (!podReady(x) || crashLooping(x, now)) && !x.metadata.deletionTimestamp).slice(0, opts.max ?? 6)) {
    const ns = p.metadata.namespace ?? 'kube-system';
    const name = p.metadata.name ?? '';
    const statuses = [...((p as PodWithInit).status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    const parts: string[] = [];
    for (const c of statuses) {
      const o = { container: c.name, tailLines: 40, limitBytes: 64 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) };
      if (c.restartCount > 0) parts.push(await kube.logs(ns, name, { ...o, previous: true }).catch(() => ''));
      parts.push(await kube.logs(ns, name, o).catch(() => ''));
    }
    const log = parts.join('\n');
    const cause = causeFromLog(log);
    const last = lastLine(log);
    if (cause) out.set(name, cause);
    else if (last) out.set(name, `last log line: ${last}`);
  }
  return out;
}
