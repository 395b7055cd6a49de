// What kube-proxy does on a node, read from a privileged hostNetwork pod there:
// its mode (GET /proxyMode on the metrics port) and the nat table as each
// iptables backend sees it (nft and legacy: the pod's default backend may not
// be the one kube-proxy writes with). Building the script and reading its output
// are pure; where the mode is configured is read from the kube-proxy ConfigMap.
import { parse as parseYaml } from 'yaml';
import { parseIptablesSave, type IptablesDump } from './iptables-save.ts';

const MARK = '@@kc';
export const METRICS_PORT = 10249;

/** POSIX sh, run in the node's network namespace; `nodeIp` is tried after 127.0.0.1. */
export function nodeReadScript(nodeIp: string | undefined, withRules: boolean): string {
  if (nodeIp !== undefined && !/^[0-9a-fA-F.:]+$/.test(nodeIp)) throw new Error(`nodeReadScript: bad node IP ${JSON.stringify(nodeIp)}`);
  const hosts = ['127.0.0.1', ...(nodeIp ? [nodeIp.includes(':') ? `[${nodeIp}]` : nodeIp] : [])];
  const lines = [
    `echo "${MARK} proxymode"`,
    `for h in ${hosts.join(' ')}; do m=$(curl -s --max-time 2 "http://$h:${METRICS_PORT}/proxyMode" 2>/dev/null) && [ -n "$m" ] && { echo "$m"; break; }; done`,
    `echo "${MARK} proxymode-end"`,
  ];
  if (withRules) {
    // stderr goes to a file, printed after the table: merged into stdout, a
    // warning ("iptables-legacy tables present") lands in the middle of a rule
    // line wherever stdout's buffer happened to be flushed.
    lines.push(
      'd=$(mktemp -d 2>/dev/null || echo /tmp/kcr$$); mkdir -p "$d"',
      'save() {',
      `  echo "${MARK} save $1"; "$1" -t nat 2>"$d/err"; echo "${MARK} save-end"`,
      `  [ -s "$d/err" ] && sed "s/^/${MARK} err $1 /" "$d/err"`,
      '  :',
      '}',
      'found=0',
      'for s in iptables-nft-save iptables-legacy-save; do',
      '  if command -v "$s" >/dev/null 2>&1; then found=1; save "$s"; fi',
      'done',
      'if [ "$found" = 0 ] && command -v iptables-save >/dev/null 2>&1; then save iptables-save; fi',
      'rm -rf "$d"',
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface NodeRead {
  /** The answer of /proxyMode ("iptables", "ipvs", "nftables"), when the metrics port answered. */
  proxyMode?: string;
  /** nat table per iptables tool that ran. */
  saves: { tool: string; text: string; dump: IptablesDump; kubeChains: number }[];
  /** What the tools said on stderr ("iptables-legacy tables present", "Permission denied"). */
  errors: string[];
}

export function parseNodeRead(text: string): NodeRead {
  const out: NodeRead = { saves: [], errors: [] };
  let block: { kind: 'mode' } | { kind: 'save'; tool: string; lines: string[] } | undefined;
  const mode: string[] = [];
  for (const line of text.split('\n')) {
    if (line === `${MARK} proxymode`) block = { kind: 'mode' };
    else if (line === `${MARK} proxymode-end`) block = undefined;
    else if (line.startsWith(`${MARK} save `)) block = { kind: 'save', tool: line.slice(`${MARK} save `.length).trim(), lines: [] };
    else if (line === `${MARK} save-end`) {
      if (block?.kind === 'save') {
        const t = block.lines.join('\n');
        const dump = parseIptablesSave(t);
        const kubeChains = [...(dump.get('nat')?.chains.keys() ?? [])].filter((c) => c.startsWith('KUBE-')).length;
        out.saves.push({ tool: block.tool, text: t, dump, kubeChains });
      }
      block = undefined;
    } else if (line.startsWith(`${MARK} err `)) out.errors.push(line.slice(`${MARK} err `.length).trim());
    else if (block?.kind === 'mode') mode.push(line.trim());
    else if (block?.kind === 'save') block.lines.push(line);
  }
  const m = mode.find((l) => /^[a-z]+$/.test(l));
  if (m) out.proxyMode = m;
  return out;
}

/** The nat table kube-proxy writes: the backend holding the KUBE-SERVICES rules. */
export function kubeProxyTable(read: NodeRead): NodeRead['saves'][number] | undefined {
  const withRules = read.saves.filter((s) => (s.dump.get('nat')?.chains.get('KUBE-SERVICES')?.length ?? 0) > 0);
  return [...withRules].sort((a, b) => b.kubeChains - a.kubeChains)[0];
}

/**
 * The mode the kube-proxy ConfigMap (config.conf, a KubeProxyConfiguration)
 * asks for; an empty mode means the platform default, iptables on Linux.
 */
export function configuredProxyMode(configConf: string | undefined): { mode: string; explicit: boolean } | undefined {
  if (configConf === undefined) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(configConf);
  } catch {
    return undefined;
  }
  const mode = (doc as { mode?: unknown } | null)?.mode;
  if (typeof mode === 'string' && mode.trim() !== '') return { mode: mode.trim(), explicit: true };
  return { mode: 'iptables', explicit: false };
}
