// One probe round from one model pod: a POSIX sh script that tries every target
// at once, each bounded by the probe timeout, and prints one marker line per
// target. TCP and UDP: agnhost serve-hostname answers with its hostname (the
// pod's name), and a flow counts as allowed only when that very answer comes back
// (a refusal, a timeout, a missing tool or a stranger answering is a denial);
// DNS: `dig` of a name every cluster has. nc, not `agnhost connect`: ~4 ms against ~60 ms a start, which
// matters with ~100 probes a round on 2 cores (netcat-openbsd is in the agnhost
// image, upstream and offline). Building the script and reading its output are pure.
import { DNS_TARGET, type Verdict } from './spec/model.ts';

export interface ProbeTarget {
  /** Short id in the marker line: t0, t1, ... */
  id: string;
  /** Flow target id ("y/b:80/TCP" or "dns"). */
  target: string;
  /** Pod IP and port for TCP/UDP; absent for DNS. */
  host?: string;
  port?: number;
  /** The answer the server gives: its pod's name. */
  name?: string;
  protocol: 'tcp' | 'udp' | 'dns';
}

const MARK = '@@np';
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)$/;

/** The name looked up for the dns column: every cluster has it, in the default namespace (a search-path lookup). */
export const DNS_PROBE_NAME = 'kubernetes.default';

export function probeScript(targets: ProbeTarget[], timeoutSec: number): string {
  const t = Math.max(1, Math.round(timeoutSec));
  // the first words of what failed (Connection refused, timed out...) are kept as the detail
  const fail = `echo "${MARK} $1 fail $(printf %s "$o" | tr -s '\\n\\t ' ' ' | cut -c1-60)"`;
  const lines = [
    `p() { o=$(nc -w ${t} "$2" "$3" </dev/null 2>&1); if [ "$o" = "$4" ]; then echo "${MARK} $1 ok"; else o=\${o:-no answer}; ${fail}; fi; }`,
    `u() { o=$(printf 'hostname\\n' | nc -u -W 1 -w ${t} "$2" "$3" 2>&1); if [ "$o" = "$4" ]; then echo "${MARK} $1 ok"; else o=\${o:-no answer}; ${fail}; fi; }`,
    `d() { if o=$(dig +search +short +time=${t} +tries=1 ${DNS_PROBE_NAME} 2>&1) && printf %s "$o" | grep -qE '^[0-9a-f.:]+$'; then echo "${MARK} $1 ok"; else ${fail}; fi; }`,
  ];
  for (const x of targets) {
    if (!/^t\d+$/.test(x.id)) throw new Error(`bad probe id ${x.id}`);
    if (x.protocol === 'dns') {
      lines.push(`d ${x.id} &`);
      continue;
    }
    if (!x.host || !IP.test(x.host) || !Number.isInteger(x.port) || x.port! < 1 || x.port! > 65535) throw new Error(`bad probe address ${x.host ?? '(none)'}:${x.port ?? ''} for ${x.target}`);
    if (!x.name || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(x.name)) throw new Error(`bad answer name ${x.name ?? '(none)'} for ${x.target}`);
    lines.push(`${x.protocol === 'udp' ? 'u' : 'p'} ${x.id} ${x.host} ${x.port} ${x.name} &`);
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
