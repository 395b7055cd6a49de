// Pure decision of the `nodes` check: from the Node and system Pod objects to
// per-node findings and problems stated as sentences. No I/O here.
import type { NodesSpec } from '../../suite/specs/nodes.ts';
import { podReady, podState, type NodeObject, type PodObject } from '../../kube/objects.ts';
import { CNI_SIGNATURES, detectCni, roleOf, runtimeOf } from '../../cluster/node-facts.ts';
import { CNI_NAMES } from '../../cluster/cni/table.ts';

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export interface NodeFinding {
  name: string;
  role: 'control-plane' | 'worker';
  ready: string;
  kubelet: string;
  runtime: string;
  cniPod: string;
  kubeProxy: string;
  problems: string[];
}

export interface NodesVerdict {
  ok: boolean;
  nodes: NodeFinding[];
  cni: string;
  runtimes: string[];
  problems: string[];
  summary: string;
}

export function evaluateNodes(spec: NodesSpec, nodes: NodeObject[], pods: PodObject[]): NodesVerdict {
  const problems: string[] = [];
  const cni = detectCni(pods);
  const cniSig = CNI_SIGNATURES.find((s) => s.name === cni);
  const cniPods = cniSig ? pods.filter((p) => cniSig.match(p)) : [];
  const proxyPods = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy');
  const dnsPods = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns');
  const systemPods = spec.systemPods ?? true;

  const findings: NodeFinding[] = [...nodes]
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .map((n) => nodeFinding(n, cni, cniPods, proxyPods, systemPods));

  const cps = findings.filter((f) => f.role === 'control-plane').length;
  const workers = findings.length - cps;
  if (spec.count !== undefined && findings.length !== spec.count) problems.push(`expected ${spec.count} nodes, found ${findings.length}`);
  if (spec.controlPlanes !== undefined && cps !== spec.controlPlanes) problems.push(`expected ${spec.controlPlanes} control-plane node(s), found ${cps}`);
  if (spec.workers !== undefined && workers !== spec.workers) problems.push(`expected ${spec.workers} worker node(s), found ${workers}`);
  for (const f of findings) problems.push(...f.problems.map((p) => `${f.name}: ${p}`));

  if (spec.runtime) {
    for (const f of findings.filter((x) => x.runtime !== spec.runtime)) {
      problems.push(`${f.name}: container runtime is ${f.runtime || 'unknown'}://, expected ${spec.runtime}://`);
    }
  }
  if (spec.kubeletVersion) {
    for (const f of findings.filter((x) => !x.kubelet.startsWith(spec.kubeletVersion!))) {
      problems.push(`${f.name}: kubelet ${f.kubelet}, expected ${spec.kubeletVersion}`);
    }
  }
  const wantCni = spec.cni ?? 'any';
  if (!cni) problems.push(`no CNI installed: no ${CNI_NAMES.join(', ')} pods found`);
  else if (wantCni !== 'any' && cni !== wantCni) problems.push(`CNI is ${cni}, expected ${wantCni}`);

  if (systemPods) {
    if (dnsPods.length === 0) problems.push('CoreDNS: no pods with k8s-app=kube-dns in kube-system');
    for (const p of dnsPods.filter((x) => !podReady(x))) {
      problems.push(`CoreDNS pod ${p.metadata.name} is ${podState(p)}${!cni ? ' (expected: no CNI installed)' : ''}`);
    }
    if (proxyPods.length === 0) problems.push('kube-proxy: no pods with k8s-app=kube-proxy in kube-system');
  }

  // Node-level problems already name the cause; de-duplicate while keeping order.
  const unique = [...new Set(problems)];
  const runtimes = [...new Set(findings.map((f) => f.runtime))];
  const ready = findings.filter((f) => f.ready === 'True').length;
  const cniOn = findings.filter((f) => f.cniPod === 'Running').length;
  const summary = `${ready}/${findings.length} Ready, runtime ${runtimes.map((r) => `${r}://`).join(',') || 'unknown'}, ${cni ? `${cni} on ${cniOn}/${findings.length} nodes` : 'no CNI'}`;
  return { ok: unique.length === 0, nodes: findings, cni: cni ?? 'none', runtimes, problems: unique, summary };
}

function nodeFinding(n: NodeObject, cni: string | undefined, cniPods: PodObject[], proxyPods: PodObject[], systemPods: boolean): NodeFinding {
  const name = n.metadata.name ?? '';
  const conditions = n.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const myCni = cniPods.find((p) => p.spec?.nodeName === name);
  const myProxy = proxyPods.find((p) => p.spec?.nodeName === name);
  const problems: string[] = [];
  if (!ready || ready.status !== 'True') problems.push(notReadyCause(ready, cni, myCni));
  for (const c of conditions.filter((x) => PRESSURE.includes(x.type) && x.status === 'True')) {
    problems.push(`condition ${c.type}=True${c.message ? ` (${c.message})` : ''}`);
  }
  if (cni && !myCni) problems.push(`no ${cni} pod on this node`);
  else if (myCni && !podReady(myCni)) problems.push(`${cni} pod ${myCni.metadata.name} is ${podState(myCni)}`);
  if (systemPods && proxyPods.length > 0) {
    if (!myProxy) problems.push('no kube-proxy pod on this node');
    else if (!podReady(myProxy)) problems.push(`kube-proxy pod ${myProxy.metadata.name} is ${podState(myProxy)}`);
  }
  if (n.spec?.unschedulable) problems.push('cordoned (unschedulable): left over from a drain?');
  return {
    name,
    role: roleOf(n),
    ready: ready?.status ?? 'Unknown',
    kubelet: n.status?.nodeInfo?.kubeletVersion ?? '',
    runtime: runtimeOf(n),
    cniPod: myCni ? (podReady(myCni) ? 'Running' : podState(myCni)) : 'none',
    kubeProxy: myProxy ? (podReady(myProxy) ? 'Running' : podState(myProxy)) : 'none',
    problems,
  };
}

/** NotReady, with its condition and the likely cause in words. */
export function notReadyCause(
  ready: { status: string; reason?: string; message?: string } | undefined,
  cni: string | undefined,
  cniPod: PodObject | undefined,
): string {
  if (!ready) return 'NotReady: no Ready condition reported (kubelet never registered status)';
  const msg = ready.message ?? '';
  const cond = `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`;
  if (ready.status === 'Unknown' || /stopped posting node status/i.test(msg)) {
    return `NotReady: ${cond}: kubelet stopped posting node status; likely cause: kubelet stopped or the node is unreachable`;
  }
  if (/network plugin|NetworkReady=false|cni plugin not initialized|cni config uninitialized/i.test(msg)) {
    if (!cni) return `NotReady: ${cond}: container network not ready; likely cause: no CNI installed`;
    if (!cniPod) return `NotReady: ${cond}: container network not ready; likely cause: no ${cni} pod on this node`;
    if (!podReady(cniPod)) return `NotReady: ${cond}: container network not ready; likely cause: ${cni} pod ${cniPod.metadata.name} is ${podState(cniPod)}`;
    return `NotReady: ${cond}: container network not ready (${cni} pod running; CNI config not written yet?)`;
  }
  if (/container runtime is down|runtime not ready|ContainerRuntime/i.test(msg)) {
    return `NotReady: ${cond}: container runtime not ready; likely cause: containerd/dockerd (or cri-dockerd) stopped`;
  }
  return `NotReady: ${cond}${msg ? `: ${msg}` : ''}`;
}
