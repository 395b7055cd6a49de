// Pure decision of the `nodes` check: from the Node and system Pod objects to
// per-node findings and problems stated as sentences. No I/O here.
import type { NodesSpec } from '../checks/nodes/spec.ts';
import { podReady, podState, type NodeObject, type PodObject } from '../kube/objects.ts';
import { CNI_SIGNATURES, detectCni, roleOf, runtimeOf } from './node-facts.ts';
import { cleanCommand, nodeLeftovers } from './leftovers.ts';
import { CNI_NAMES } from './cni/table.ts';

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
  /** Problems no wait can clear (per this check's rules): the settle wait ends at once. */
  staticCauses: string[];
  nodes: NodeFinding[];
  cni: string;
  runtimes: string[];
  problems: string[];
  summary: string;
}

/** The controllers that would bring missing system pods (absent: not read, nothing is called static). */
export interface SystemWorkloads {
  deployments: WorkloadLike[];
  daemonSets: WorkloadLike[];
}

export interface WorkloadLike {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> } } };
}

/**
 * `causes`: per system pod name, what its log says (component-causes.ts), added
 * to the sentence about that pod.
 */
export function evaluateNodes(spec: NodesSpec, nodes: NodeObject[], pods: PodObject[], workloads?: SystemWorkloads, causes?: Map<string, string>, now = Date.now()): NodesVerdict {
  // A pod Running between two crashes is not healthy: a crash loop counts as not Ready.
  const healthy = (p: PodObject) => podReady(p) && !crashLooping(p, now);
  const stateOf = (p: PodObject) => crashLooping(p, now) ?? podState(p);
  const because = (p: PodObject) => {
    const c = causes?.get(p.metadata.name ?? '');
    return c ? `: ${c}` : '';
  };
  const problems: string[] = [];
  const staticCauses: string[] = [];
  const cni = detectCni(pods);
  const cniSig = CNI_SIGNATURES.find((s) => s.name === cni);
  const cniPods = cniSig ? pods.filter((p) => cniSig.match(p)) : [];
  const proxyPods = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy');
  const dnsPods = pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns');
  const systemPods = spec.systemPods ?? true;

  const findings: NodeFinding[] = [...nodes]
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .map((n) => nodeFinding(n, cni, cniPods, proxyPods, systemPods, because, healthy, stateOf));

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
  if (!cni) {
    problems.push(`no CNI installed: no ${CNI_NAMES.join(', ')} pods found`);
    // No CNI pod and no DaemonSet that would start one: nothing will install it while we wait.
    if (workloads && !workloads.daemonSets.some((d) => CNI_SIGNATURES.some((sig) => sig.match(templatePod(d))))) {
      staticCauses.push(`no CNI installed: no ${CNI_NAMES.join(', ')} pods found, and no DaemonSet of one`);
    }
  }
  else if (wantCni !== 'any' && cni !== wantCni) problems.push(`CNI is ${cni}, expected ${wantCni}`);

  if (systemPods) {
    const dnsDeploy = workloads?.deployments.find((d) => d.metadata.namespace === 'kube-system' && d.spec?.template?.metadata?.labels?.['k8s-app'] === 'kube-dns');
    if (dnsDeploy && dnsDeploy.spec?.replicas === 0) {
      // Scaled to 0: the Deployment controller will not bring a pod back.
      const line = `CoreDNS: Deployment ${dnsDeploy.metadata.name} is scaled to 0 replicas (kubectl -n kube-system scale deploy ${dnsDeploy.metadata.name} --replicas=2)`;
      problems.push(line);
      staticCauses.push(line);
    } else if (dnsPods.length === 0) {
      problems.push('CoreDNS: no pods with k8s-app=kube-dns in kube-system');
      if (workloads && !dnsDeploy) staticCauses.push('CoreDNS: no pods with k8s-app=kube-dns in kube-system, and no Deployment that would start them');
    }
    for (const p of dnsPods.filter((x) => !healthy(x))) {
      problems.push(`CoreDNS pod ${p.metadata.name} is ${stateOf(p)}${!cni ? ' (expected: no CNI installed)' : because(p)}`);
    }
    if (proxyPods.length === 0) problems.push('kube-proxy: no pods with k8s-app=kube-proxy in kube-system');
  }

  // Node-level problems already name the cause; de-duplicate while keeping order.
  const unique = [...new Set(problems)];
  const runtimes = [...new Set(findings.map((f) => f.runtime))];
  const ready = findings.filter((f) => f.ready === 'True').length;
  const cniOn = findings.filter((f) => f.cniPod === 'Running').length;
  const summary = `${ready}/${findings.length} Ready, runtime ${runtimes.map((r) => `${r}://`).join(',') || 'unknown'}, ${cni ? `${cni} on ${cniOn}/${findings.length} nodes` : 'no CNI'}`;
  return { ok: unique.length === 0, staticCauses, nodes: findings, cni: cni ?? 'none', runtimes, problems: unique, summary };
}

/** Window in which a failed restart still marks a pod as crash-looping. */
const CRASH_WINDOW_MS = 120_000;

/**
 * "crash-looping (3 restarts, last exit 1 at ...)" for a pod in CrashLoopBackOff,
 * or one that restarted at least twice and last failed within two minutes (it is
 * Running between crashes, and a watch could catch it there); else undefined.
 */
export function crashLooping(p: PodObject, now: number): string | undefined {
  for (const c of p.status?.containerStatuses ?? []) {
    const last = c.lastState?.terminated;
    const lastWords = last ? `, last exit ${last.exitCode ?? '?'}${last.reason ? ` (${last.reason})` : ''}` : '';
    if (c.state?.waiting?.reason === 'CrashLoopBackOff') return `CrashLoopBackOff (${c.restartCount} restarts${lastWords})`;
    const finished = last?.finishedAt ? Date.parse(last.finishedAt) : Number.NaN;
    if (c.restartCount >= 2 && last && (last.exitCode ?? 0) !== 0 && now - finished < CRASH_WINDOW_MS) {
      return `crash-looping (${c.restartCount} restarts${lastWords} ${Math.max(0, Math.round((now - finished) / 1000))}s ago)`;
    }
  }
  return undefined;
}

/** The CNI agent, kube-proxy and CoreDNS pods: the components whose logs name a cause. */
export function systemComponentPods(pods: PodObject[]): PodObject[] {
  return pods.filter((p) => CNI_SIGNATURES.some((s) => s.match(p)) || ['kube-proxy', 'kube-dns'].includes(p.metadata.labels?.['k8s-app'] ?? ''));
}

function templatePod(w: WorkloadLike): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: w.metadata.name ?? '', labels: w.spec?.template?.metadata?.labels ?? {} } };
}

function nodeFinding(
  n: NodeObject,
  cni: string | undefined,
  cniPods: PodObject[],
  proxyPods: PodObject[],
  systemPods: boolean,
  because: (p: PodObject) => string,
  healthy: (p: PodObject) => boolean,
  stateOf: (p: PodObject) => string,
): NodeFinding {
  const name = n.metadata.name ?? '';
  const conditions = n.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const myCni = cniPods.find((p) => p.spec?.nodeName === name);
  const myProxy = proxyPods.find((p) => p.spec?.nodeName === name);
  const problems: string[] = [];
  if (!ready || ready.status !== 'True') problems.push(notReadyCause(ready, cni, myCni) + (myCni && !healthy(myCni) ? because(myCni) : ''));
  for (const c of conditions.filter((x) => PRESSURE.includes(x.type) && x.status === 'True')) {
    problems.push(`condition ${c.type}=True${c.message ? ` (${c.message})` : ''}`);
  }
  if (cni && !myCni) problems.push(`no ${cni} pod on this node`);
  else if (myCni && !healthy(myCni)) problems.push(`${cni} pod ${myCni.metadata.name} is ${stateOf(myCni)}${because(myCni)}`);
  if (systemPods && proxyPods.length > 0) {
    if (!myProxy) problems.push('no kube-proxy pod on this node');
    else if (!healthy(myProxy)) problems.push(`kube-proxy pod ${myProxy.metadata.name} is ${stateOf(myProxy)}${because(myProxy)}`);
  }
  problems.push(...markProblems(n));
  return {
    name,
    role: roleOf(n),
    ready: ready?.status ?? 'Unknown',
    kubelet: n.status?.nodeInfo?.kubeletVersion ?? '',
    runtime: runtimeOf(n),
    cniPod: myCni ? (healthy(myCni) ? 'Running' : stateOf(myCni)) : 'none',
    kubeProxy: myProxy ? (healthy(myProxy) ? 'Running' : stateOf(myProxy)) : 'none',
    problems,
  };
}

/** A cordon and kconform's taints that keep pods off, named with the run that left them and its clean command. */
function markProblems(n: NodeObject): string[] {
  // Only marks that keep pods off are problems; a leftover label is named by the run's log.
  const marks = nodeLeftovers(n).filter((m) => m.blocksPods);
  const out: string[] = [];
  for (const run of new Set(marks.map((m) => m.runId))) {
    const mine = marks.filter((m) => m.runId === run);
    out.push(`${mine.map((m) => m.mark).join(', ')} left by kconform run ${run}: remove with ${cleanCommand(run)}`);
  }
  if (n.spec?.unschedulable && !marks.some((m) => m.kind === 'cordon')) out.push('cordoned (unschedulable), not by kconform: left over from a drain? (kubectl uncordon)');
  return out;
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
