// Built-in hints for the classic failures of a self-built (kubeadm) cluster.
// Each entry names a cause that shows in a failed check's reason or evidence
// (node conditions, pod states, events, logs, command output) and the hint a
// student needs. The grader attaches every entry whose signal matches; checks
// help by wording their reasons with the facts these signals look for. Pure.
import type { CheckResult, Evidence } from '../results/model.ts';

export interface HintEntry {
  id: string;
  /** The cause, in a few words (a score sheet column can show it). */
  title: string;
  /** What in the failure text shows this cause. */
  signal: RegExp;
  /** A more basic cause that makes this one moot (NotReady nodes before taints). */
  unless?: RegExp;
  hint: string;
}

export const HINTS: readonly HintEntry[] = [
  {
    id: 'no-cni',
    title: 'no CNI installed',
    signal: /no CNI installed|cni plugin not initiali[sz]ed|cni config uninitiali[sz]ed|NetworkPluginNotReady|network plugin is not ready|container network not ready|untolerated taint.*node\.kubernetes\.io\/not-ready/i,
    hint:
      'No pod network: nodes stay NotReady and CoreDNS Pending until a CNI add-on is installed. After `kubeadm init`, apply one ' +
      '(flannel, calico or weave) whose pod network matches --pod-network-cidr, then check `kubectl get nodes` and `kubectl -n kube-system get pods`.',
  },
  {
    id: 'several-cri-sockets',
    title: 'several CRI sockets on a node',
    signal: /multiple CRI endpoints|found multiple CRI|more than one CRI|--cri-socket/i,
    hint:
      'The node has several container runtime sockets (e.g. containerd and cri-dockerd): kubeadm cannot choose. Pass ' +
      '--cri-socket unix:///var/run/cri-dockerd.sock (or unix:///run/containerd/containerd.sock) to `kubeadm init` and to every `kubeadm join`.',
  },
  {
    id: 'bridge-netfilter',
    title: 'br_netfilter or ip_forward off',
    signal: /bridge-nf-call-ip6?tables|br_netfilter|ip_forward/i,
    hint:
      'Bridged pod traffic must go through iptables and the node must forward packets: `modprobe br_netfilter` (and list it in ' +
      '/etc/modules-load.d/k8s.conf), set net.bridge.bridge-nf-call-iptables=1 and net.ipv4.ip_forward=1 in /etc/sysctl.d/k8s.conf, then `sysctl --system`.',
  },
  {
    id: 'pod-cidr-mismatch',
    title: "pod CIDR does not match the CNI's",
    signal: /pod ?cidr not assigned|podCIDR|failed to acquire lease|no IP addresses available|range is full|CIDR .*(does not match|not in|outside)|subnet .*does not contain/i,
    hint:
      "The pod network CIDR given to kubeadm (--pod-network-cidr, networking.podSubnet) must equal the CNI's network (flannel's " +
      'net-conf.json "Network", calico\'s CALICO_IPV4POOL_CIDR). Fix the CNI manifest to match, or re-create the cluster with the CIDR the CNI expects.',
  },
  {
    id: 'control-plane-taint',
    title: 'control-plane taint blocks scheduling',
    signal: /untolerated taint.*node-role\.kubernetes\.io\/(control-plane|master)/i,
    unless: /node\.kubernetes\.io\/not-ready|no CNI installed/i,
    hint:
      'Pods cannot be scheduled on the control plane: it carries the node-role.kubernetes.io/control-plane:NoSchedule taint. ' +
      'Join a worker (`kubeadm token create --print-join-command` on the control plane, run it on the worker); on a one-node lab only, remove the taint.',
  },
  {
    id: 'service-selector',
    title: 'Service selector matches no pod',
    signal: /selector \S+ matches no pod|has no ready endpoints: it has no selector/i,
    hint:
      "The Service's selector matches no (ready) pod, so it has no endpoints. Compare `kubectl get svc NAME -o jsonpath='{.spec.selector}'` " +
      'with `kubectl get pods --show-labels`, and look at `kubectl get endpointslices -l kubernetes.io/service-name=NAME`.',
  },
  {
    id: 'service-target-port',
    title: 'Service targetPort matches no container port',
    signal: /has no ready endpoints for port \S+: its pods have no container port/i,
    hint:
      "The Service's targetPort (a name or number) must be a port the selected pods' containers declare: a named targetPort " +
      'that no container has leaves that Service port without endpoints. Compare the Service ports with `kubectl get pod POD -o yaml` (containers[].ports).',
  },
  {
    id: 'image-pull',
    title: 'image cannot be pulled',
    signal: /ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|failed to pull image|pull access denied|manifest unknown/i,
    hint:
      'An image cannot be pulled: check the image name and tag (`kubectl describe pod` shows the exact pull error), that the nodes reach ' +
      'the registry (DNS, proxy), and imagePullSecrets for a private registry.',
  },
];

/** Entries whose signal appears in `text`, in catalogue order. */
export function matchHints(text: string): HintEntry[] {
  return HINTS.filter((h) => h.signal.test(text) && !(h.unless && h.unless.test(text)));
}

/** The text of a result a hint may be recognised in: reason, evidence texts, events, tables, logs. */
export function failureText(r: Pick<CheckResult, 'reason' | 'evidence'>): string {
  return [r.reason, ...r.evidence.map(evidenceText)].join('\n');
}

function evidenceText(e: Evidence): string {
  switch (e.kind) {
    case 'text':
      return e.text;
    case 'logs':
      return e.text;
    case 'events':
      return e.events.map((x) => `${x.reason} ${x.message}`).join('\n');
    case 'table':
      return e.rows.map((r) => r.join(' ')).join('\n');
    default:
      return '';
  }
}

/** Built-in hints for a failed or errored result (none for pass and skip). */
export function builtInHints(r: Pick<CheckResult, 'status' | 'reason' | 'evidence'>): HintEntry[] {
  if (r.status !== 'fail' && r.status !== 'error') return [];
  return matchHints(failureText(r));
}

/** The author's hint, then each built-in one on its own line. */
export function combineHints(author: string | undefined, entries: HintEntry[]): string | undefined {
  const lines = [author?.trim(), ...entries.map((e) => `[${e.title}] ${e.hint}`)].filter((l): l is string => !!l);
  return lines.length ? lines.join('\n') : undefined;
}

/** The result with the built-in hints added to its hint (unchanged when none applies). */
export function withBuiltInHints(r: CheckResult): CheckResult {
  const entries = builtInHints(r);
  if (entries.length === 0) return r;
  const hint = combineHints(r.hint, entries);
  return hint === undefined ? r : { ...r, hint };
}
