// One probe round from one model pod: a POSIX sh script that tries every target
// at once (`agnhost connect` for TCP/UDP, `dig` for DNS), each bounded by the
// probe timeout, and prints one marker line per target. Building the script and
// reading its output are pure.
import { DNS_TARGET, type Verdict } from './model.ts';

export interface ProbeTarget {
  /** Short id in the marker line: t0, t1, ... */
  id: string;
  /** Flow target id ("y/b:80/TCP" or "dns"). */
  target: string;
  /** ip:port for TCP/UDP; absent for DNS. */
  address?: string;
  protocol: 'tcp' | 'udp' | 'dns';
}

const MARK = '@@np';
const IPV4_PORT = /^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/;
const IPV6_PORT = /^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/** The name looked up for the dns column: every cluster has it, in the default namespace (a search-path lookup). */
export const DNS_PROBE_NAME = 'kubernetes.default';

export function probeScript(targets: ProbeTarget[], timeoutSec: number): string {
  const t = Math.max(1, Math.round(timeoutSec));
  const lines = [
    // stderr of a failed try says why (REFUSED, TIMEOUT...); only its first words are kept
    `p() { if o=$(/agnhost connect --timeout=${t}s --protocol="$2" "$3" 2>&1); then echo "${MARK} $1 ok"; else echo "${MARK} $1 fail $(printf %s "$o" | tr -s '\\n\\t ' ' ' | cut -c1-60)"; fi; }`,
    `d() { if o=$(dig +search +short +time=${t} +tries=1 ${DNS_PROBE_NAME} 2>&1) && printf %s "$o" | grep -qE '^[0-9a-f.:]+$'; then echo "${MARK} $1 ok"; else echo "${MARK} $1 fail $(printf %s "$o" | tr -s '\\n\\t ' ' ' | cut -c1-60)"; fi; }`,
  ];
  for (const x of targets) {
    if (!/^t\d+$/.test(x.id)) throw new Error(`bad probe id ${x.id}`);
    if (x.protocol === 'dns') {
      lines.push(`d ${x.id} &`);
      continue;
    }
    if (!x.address || !(IPV4_PORT.test(x.address) || IPV6_PORT.test(x.address))) throw new Error(`bad probe address ${x.address ?? '(none)'} for ${x.target}`);
    lines.push(`p ${x.id} ${x.protocol} ${x.address} &`);
  }
  lines.push('wait');
  return lines.join('\n');
}

export interface ProbeResult {
  verdict: Verdict;
  /** Why a connection failed (REFUSED, TIMEOUT...), empty when it succeeded. */
  detail: string;
}

/** Marker lines -> result per target id (targets with no line are absent: not probed). */
export function parseProbeOutput(output: string, targets: ProbeTarget[]): Map<string, ProbeResult> {
  const byId = new Map(targets.map((t) => [t.id, t.target]));
  const out = new Map<string, ProbeResult>();
  for (const line of output.split('\n')) {
    const m = /^@@np (t\d+) (ok|fail)(?: (.*))?$/.exec(line.trim());
    if (!m) continue;
    const target = byId.get(m[1]!);
    if (!target) continue;
    out.set(target, { verdict: m[2] === 'ok' ? 'allow' : 'deny', detail: (m[3] ?? '').trim() });
  }
  return out;
}

export function isDns(target: string): boolean {
  return target === DNS_TARGET;
}
