// Faults injected on a real kind testbed cluster, one per diagnosis class of
// issue 18, each run to the check's verdict and undone afterwards. Shared by the
// cluster test (which asserts the named cause) and bench/diagnosis.ts (which
// times it): a scenario returns what kconform said and how long it took.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { Kube } from '../kube/client.ts';
import type { KubeObject } from '../kube/types.ts';
import type { NodeObject, PodObject } from '../kube/objects.ts';
import type { RunResult } from '../results/model.ts';
import { TestCluster, onNode } from '../checks/common/test-context.ts';
import { nodesCheck } from '../checks/nodes/check.ts';
import { rolloutCheck } from '../checks/rollout/check.ts';
import { serviceCheck } from '../checks/service/check.ts';
import { serviceDistributionCheck } from '../checks/serviceDistribution/check.ts';
import { distributionNames } from '../checks/serviceDistribution/workload.ts';
import { repoPath } from '../paths.ts';
import { runCli } from './run-cli.ts';

export interface ScenarioEnv {
  kubeconfig: string;
  cluster: string;
  tc: TestCluster;
}

export interface ScenarioResult {
  status: string;
  reason: string;
  /** From the start of the check (or command) to its verdict. */
  ms: number;
  exitCode?: number;
  /** Anything else a test wants to look at (reports, log lines). */
  extra?: Record<string, unknown>;
}

export interface Scenario {
  id: string;
  /** The fault class of issue 18's table. */
  fault: string;
  run(env: ScenarioEnv): Promise<ScenarioResult>;
}

const worker = (env: ScenarioEnv) => `${env.cluster}-worker`;
const worker2 = (env: ScenarioEnv) => `${env.cluster}-worker2`;
const nodeRef = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-diag-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function cliRun(env: ScenarioEnv, dir: string, suite: string): Promise<{ code: number | undefined; result: RunResult; out: string; ms: number }> {
  await writeFile(path.join(dir, 'suite.yaml'), suite);
  const t0 = Date.now();
  // The test cluster is ours: its destructive checks run (the safety rule would hold them back).
  const r = await runCli(['run', path.join(dir, 'suite.yaml'), '--kubeconfig', env.kubeconfig, '--reports', path.join(dir, 'r'), '--allow-disruptive']);
  const ms = Date.now() - t0;
  const result = JSON.parse(await readFile(path.join(dir, 'r', 'results.json'), 'utf8')) as RunResult;
  return { code: r.code, result, out: `${r.stdout}\n${r.stderr}`, ms };
}

async function waitDeploymentReady(kube: Kube, ns: string, name: string, replicas: number): Promise<void> {
  await kube.waitFor<KubeObject & { status?: { readyReplicas?: number } }>('apps/v1', 'Deployment', { namespace: ns, name }, ([d]) => ({ done: (d?.status?.readyReplicas ?? 0) >= replicas, observed: `${d?.status?.readyReplicas ?? 0} ready` }), {
    description: `${ns}/${name} ready`,
    timeoutMs: 120_000,
  });
}

/** 1. Leftovers: a cordon, a taint and a label of earlier runs; destructive and shape-bound checks error naming them. */
export const leftovers: Scenario = {
  id: 'leftovers',
  fault: 'leftover cordon + taints + label of an interrupted run',
  async run(env) {
    const kube = env.tc.kube;
    const w1 = worker(env);
    const w2 = worker2(env);
    await kube.patch(nodeRef(w1), { metadata: { annotations: { 'kconform.io/cordoned-by': 'old123' } }, spec: { unschedulable: true } });
    await kube.patch(nodeRef(w2), { metadata: { labels: { 'kconform.io/sched-old456': 'x' } } });
    const n2 = await kube.get<NodeObject>(nodeRef(w2));
    await kube.patch(nodeRef(w2), { metadata: { resourceVersion: n2?.metadata.resourceVersion }, spec: { taints: [...(n2?.spec?.taints ?? []), { key: 'kconform.io/sched-old456', value: 'x', effect: 'NoSchedule' }] } });
    try {
      return await withTempDir(async (dir) => {
        const run = await cliRun(
          env,
          dir,
          ['name: leftovers', 'timeout: 60s', 'checks:', '  - kind: scheduling', '    name: taints', '    mode: taints', '  - kind: eviction', '    name: drain', '    mode: drain', ''].join('\n'),
        );
        const checks = run.result.suites.flatMap((s) => s.checks);
        const clean = await runCli(['clean', '--run', 'old123', '--kubeconfig', env.kubeconfig]);
        const clean2 = await runCli(['clean', '--run', 'old456', '--kubeconfig', env.kubeconfig]);
        const after = await kube.list<NodeObject>('v1', 'Node');
        return {
          status: checks.map((c) => c.status).join(','),
          reason: checks.map((c) => `${c.name}: ${c.reason}`).join(' | '),
          ms: Math.max(...checks.map((c) => c.durationMs), 0),
          exitCode: run.code ?? -1,
          extra: {
            out: run.out,
            clean: `${clean.stdout}${clean2.stdout}`,
            marksLeft: after.filter((n) => n.metadata.annotations?.['kconform.io/cordoned-by'] || n.spec?.unschedulable || (n.spec?.taints ?? []).some((t) => t.key.startsWith('kconform.io/')) || Object.keys(n.metadata.labels ?? {}).some((k) => k.startsWith('kconform.io/'))).map((n) => n.metadata.name),
            wallMs: run.ms,
          },
        };
      });
    } finally {
      // Whatever the run did, the nodes are left as they were.
      await kube.patch(nodeRef(w1), { metadata: { annotations: { 'kconform.io/cordoned-by': null } }, spec: { unschedulable: null } }).catch(() => undefined);
      const n = await kube.get<NodeObject>(nodeRef(w2));
      if (n) {
        await kube.patch(nodeRef(w2), { metadata: { labels: { 'kconform.io/sched-old456': null } } }).catch(() => undefined);
        const taints = (n.spec?.taints ?? []).filter((t) => !t.key.startsWith('kconform.io/'));
        await kube.patch(nodeRef(w2), { spec: { taints } }).catch(() => undefined);
      }
    }
  },
};

/** 6. A 1 s deadline on a check that cannot finish in 1 s: undecided, within half a second. */
export const deadline: Scenario = {
  id: 'deadline',
  fault: '1 s check deadline',
  async run(env) {
    return await withTempDir(async (dir) => {
      const run = await cliRun(env, dir, ['name: deadline', 'checks:', '  - kind: serviceDistribution', '    name: spread', '    timeout: 1s', ''].join('\n'));
      const c = run.result.suites[0]!.checks[0]!;
      return { status: c.status, reason: c.reason, ms: c.durationMs, exitCode: run.code ?? -1, extra: { cleanupMs: c.cleanupMs, wallMs: run.ms } };
    });
  },
};

/** 7. Ctrl-C during a run: every planned check is in the reports; the ones that never ran are skipped "interrupted". */
export const interrupted: Scenario = {
  id: 'interrupted',
  fault: 'Ctrl-C during the second of three checks',
  async run(env) {
    return await withTempDir(async (dir) => {
      await writeFile(
        path.join(dir, 'suite.yaml'),
        // The second check waits for a state that never comes, so the Ctrl-C always lands
        // during it (a real check there could finish first on a quiet machine).
        [
          'name: interrupt',
          'checks:',
          '  - kind: nodes',
          '    name: first',
          '  - kind: assert',
          '    name: second',
          '    timeout: 90s',
          '    retries: 0',
          '    resource: { apiVersion: v1, kind: ConfigMap, name: never-made }',
          '    expect: { data: { state: never } }',
          '    wait: 60s',
          '  - kind: dns',
          '    name: third',
          '',
        ].join('\n'),
      );
      const t0 = Date.now();
      const child = execa('node', [repoPath('harness', 'cli', 'bin.js'), 'run', path.join(dir, 'suite.yaml'), '--kubeconfig', env.kubeconfig, '--reports', path.join(dir, 'r'), '--allow-disruptive'], {
        reject: false,
        cwd: repoPath(),
        env: { CI: 'true' },
      });
      let sent = false;
      child.stdout?.on('data', (b: Buffer) => {
        // The first check has ended and the second is under way: Ctrl-C.
        if (!sent && /second/.test(String(b))) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 3_000);
        }
      });
      const fallback = setTimeout(() => {
        if (!sent) {
          sent = true;
          child.kill('SIGINT');
        }
      }, 25_000);
      const r = await child;
      clearTimeout(fallback);
      const junit = await readFile(path.join(dir, 'r', 'junit.xml'), 'utf8');
      const result = JSON.parse(await readFile(path.join(dir, 'r', 'results.json'), 'utf8')) as RunResult;
      const checks = result.suites.flatMap((s) => s.checks);
      return {
        status: checks.map((c) => `${c.name}:${c.status}`).join(','),
        reason: checks.map((c) => `${c.name}: ${c.reason}`).join(' | '),
        ms: Date.now() - t0,
        exitCode: r.exitCode ?? -1,
        extra: { junit, out: `${String(r.stdout)}\n${String(r.stderr)}` },
      };
    });
  },
};

/** 8. CoreDNS scaled to 0: the nodes check names it at once instead of waiting its settle window. */
export const corednsZero: Scenario = {
  id: 'coredns-zero',
  fault: 'CoreDNS scaled to 0 (nodes check, settle 30 s)',
  async run(env) {
    const kube = env.tc.kube;
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', namespace: 'kube-system' };
    const before = await kube.get<KubeObject & { spec?: { replicas?: number } }>(ref);
    const replicas = before?.spec?.replicas ?? 2;
    await kube.patch(ref, { spec: { replicas: 0 } });
    try {
      await kube.waitFor<PodObject>('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }, (pods) => ({ done: pods.length === 0, observed: `${pods.length} pods` }), { description: 'CoreDNS pods gone', timeoutMs: 90_000 });
      const r = await env.tc.run(nodesCheck, { kind: 'nodes' }, 90_000);
      return { status: r.outcome.status, reason: r.outcome.reason, ms: r.durationMs };
    } finally {
      await kube.patch(ref, { spec: { replicas } });
      await waitDeploymentReady(kube, 'kube-system', 'coredns', replicas);
    }
  },
};

/** 5. A rollout to an image that cannot be pulled (no registry here), with the rollback performed and verified. */
export const rolloutBadImage: Scenario = {
  id: 'rollout-bad-image',
  fault: 'rollout to an image that cannot be pulled',
  async run(env) {
    const r = await env.tc.run(rolloutCheck, { kind: 'rollout', name: 'badimg', updateImage: 'kconform.invalid/agnhost:none', rollbackIfBroken: true, maxFailedRequests: 1000 }, 240_000);
    return { status: r.outcome.status, reason: r.outcome.reason, ms: r.durationMs, extra: { log: r.log } };
  },
};

/** 3. NodePort with the fault on a client's node: new connections from that node's pods are dropped there. */
export const nodePortClientNode: Scenario = {
  id: 'nodeport-client-node',
  fault: "NodePort, traffic from the client's node dropped there",
  async run(env) {
    const node = worker(env);
    const n = await env.tc.kube.get<NodeObject>(nodeRef(node));
    const cidr = n?.spec?.podCIDR;
    if (!cidr) throw new Error(`${node} has no podCIDR`);
    // New forwarded connections from this node's pods are dropped; replies to others still flow.
    const rule = ['FORWARD', '-s', cidr, '-p', 'tcp', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'DROP'];
    await onNode(node, ['iptables', '-I', ...rule]);
    try {
      const r = await env.tc.run(serviceCheck, { kind: 'service', mode: 'nodePort', name: 'np-blame', settle: '5s' }, 180_000);
      return { status: r.outcome.status, reason: r.outcome.reason, ms: r.durationMs };
    } finally {
      await onNode(node, ['iptables', '-D', ...rule]).catch(() => undefined);
    }
  },
};

/** 2. An endpoint deleted while the distribution is measured. */
export const endpointLeaves: Scenario = {
  id: 'endpoint-leaves',
  fault: 'serviceDistribution, an endpoint leaves mid-measurement',
  async run(env) {
    const names = distributionNames('sd-leave', 3);
    const { ctx, logs } = env.tc.context(180_000);
    const kube = env.tc.kube;
    const log = ctx.log;
    ctx.log = (m) => {
      log(m);
      if (m.startsWith('sending')) {
        setTimeout(() => void kube.delete({ apiVersion: 'v1', kind: 'Pod', name: names.endpoints[2]!, namespace: env.tc.namespace }).catch(() => undefined), 300);
      }
    };
    const t0 = Date.now();
    try {
      const outcome = await serviceDistributionCheck.run({ kind: 'serviceDistribution', name: 'sd-leave', requests: 300 }, ctx);
      return { status: outcome.status, reason: outcome.reason, ms: Date.now() - t0, extra: { log: logs } };
    } catch (err) {
      return { status: 'error', reason: err instanceof Error ? err.message : String(err), ms: Date.now() - t0, extra: { log: logs } };
    } finally {
      await ctx.cleanup.run();
    }
  },
};

/** 4. A flannel agent crash-looping on a CIDR mismatch (its net-conf.json changed, its pod restarted). */
export const cniCidrMismatch: Scenario = {
  id: 'cni-cidr-mismatch',
  fault: 'CNI agent crash-looping on a cluster/CNI CIDR mismatch',
  async run(env) {
    const kube = env.tc.kube;
    const node = worker2(env);
    const cmRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'kube-flannel-cfg', namespace: 'kube-flannel' };
    const cm = await kube.get<KubeObject & { data?: Record<string, string> }>(cmRef);
    const original = cm?.data?.['net-conf.json'];
    if (!original) throw new Error('no kube-flannel-cfg net-conf.json (is the CNI flannel?)');
    const broken = original.replace(/"Network":\s*"[^"]+"/, '"Network": "10.250.0.0/16"');
    const agentOn = async () => (await kube.list<PodObject>('v1', 'Pod', { namespace: 'kube-flannel', labelSelector: 'app=flannel' })).find((p) => p.spec?.nodeName === node && !p.metadata.deletionTimestamp);
    const restartAgent = async () => {
      const p = await agentOn();
      if (p) await kube.delete({ apiVersion: 'v1', kind: 'Pod', name: p.metadata.name ?? '', namespace: 'kube-flannel' });
    };
    await kube.patch(cmRef, { data: { 'net-conf.json': broken } });
    try {
      await restartAgent();
      // Wait until the new agent has failed at least once.
      await kube.waitFor<PodObject>('v1', 'Pod', { namespace: 'kube-flannel', labelSelector: 'app=flannel' }, (pods) => {
        const p = pods.find((x) => x.spec?.nodeName === node && !x.metadata.deletionTimestamp);
        const restarts = p?.status?.containerStatuses?.reduce((a, c) => a + c.restartCount, 0) ?? 0;
        const backOff = p?.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff') ?? false;
        return { done: restarts >= 2 || backOff, observed: `${p?.metadata.name} restarts ${restarts}` };
      }, { description: `flannel on ${node} to crash`, timeoutMs: 120_000 });
      const r = await env.tc.run(nodesCheck, { kind: 'nodes', settle: '5s' }, 90_000);
      const problems = r.outcome.evidence?.find((e) => e.kind === 'text' && e.title === 'problems');
      return { status: r.outcome.status, reason: r.outcome.reason, ms: r.durationMs, extra: { problems: problems && 'text' in problems ? problems.text : '' } };
    } finally {
      await kube.patch(cmRef, { data: { 'net-conf.json': original } });
      await restartAgent().catch(() => undefined);
      await kube.waitFor<PodObject>('v1', 'Pod', { namespace: 'kube-flannel', labelSelector: 'app=flannel' }, (pods) => {
        const p = pods.find((x) => x.spec?.nodeName === node && !x.metadata.deletionTimestamp);
        const ready = p?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        return { done: ready, observed: `${p?.metadata.name} ready=${ready}` };
      }, { description: `flannel on ${node} Ready again`, timeoutMs: 120_000 });
    }
  },
};

async function waitProxyRollout(kube: Kube, nodes: number): Promise<void> {
  type Ds = KubeObject & { metadata: { generation?: number }; status?: { observedGeneration?: number; desiredNumberScheduled?: number; updatedNumberScheduled?: number; numberReady?: number; numberAvailable?: number } };
  await kube.waitFor<Ds>('apps/v1', 'DaemonSet', { namespace: 'kube-system', name: 'kube-proxy' }, ([d]) => {
    const s = d?.status;
    const done = !!d && s?.observedGeneration === d.metadata.generation && s?.desiredNumberScheduled === nodes && s?.updatedNumberScheduled === nodes && s?.numberReady === nodes && s?.numberAvailable === nodes;
    return { done, observed: JSON.stringify(s ?? {}) };
  }, { description: `kube-proxy rolled out on ${nodes} nodes`, timeoutMs: 240_000 });
}

/** 3. proxyRules with no kube-proxy on one node (its rules are left behind): that node is named, not counted. */
export const proxyRulesNoProxy: Scenario = {
  id: 'proxyrules-no-kube-proxy',
  fault: 'proxyRules, kube-proxy gone from one node (stale rules stay)',
  async run(env) {
    const kube = env.tc.kube;
    const node = worker(env);
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', namespace: 'kube-system' };
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: [node] }] }] } } };
    await kube.patch(ds, { spec: { template: { spec: { affinity } } } }, 'strategic');
    try {
      // The DaemonSet's rolling update is over: one ready, updated pod on each other node.
      await waitProxyRollout(kube, 2);
      const r = await env.tc.run(serviceCheck, { kind: 'service', mode: 'proxyRules', name: 'rules-np', settle: '5s' }, 180_000);
      return { status: r.outcome.status, reason: r.outcome.reason, ms: r.durationMs };
    } finally {
      await kube.patch(ds, { spec: { template: { spec: { affinity: null } } } }, 'strategic');
      await waitProxyRollout(kube, 3);
    }
  },
};

export const SCENARIOS: Scenario[] = [leftovers, deadline, interrupted, corednsZero, rolloutBadImage, nodePortClientNode, proxyRulesNoProxy, endpointLeaves, cniCidrMismatch];

export async function openEnv(kubeconfig: string, cluster: string): Promise<ScenarioEnv> {
  return { kubeconfig, cluster, tc: await TestCluster.open(kubeconfig, 'diag') };
}

export { Kube };
