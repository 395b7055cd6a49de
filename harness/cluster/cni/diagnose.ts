// Gathers the facts a CNI's pitfalls are judged on (nodes, agent pods, their
// logs, files on the nodes) and hands them to the pure rules in pitfalls.ts.
// Every read is best effort: a diagnosis never fails the run by itself.
import { podReady, type NodeObject } from '../../kube/objects.ts';
import type { Kube } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/types.ts';
import {
  agentInstallPitfalls,
  configuredRangePitfall,
  imagePitfalls,
  logPitfalls,
  nodePluginPitfalls,
  nodePodCidrPitfalls,
  uniquePitfalls,
  type AgentPod,
  type LogPattern,
  type NodeFiles,
} from './pitfalls.ts';
import type { NodeShell, Pitfall, PitfallContext } from './recipe.ts';

export interface PitfallSpec {
  recipe: string;
  agent: { namespace: string; labelSelector: string } | undefined;
  /** Plugins the node image must already carry. */
  nodePlugins: string[];
  /** Plugins the agent copies into /opt/cni/bin itself. */
  agentInstalls: string[];
  /** Does the CNI route by node.spec.podCIDR (flannel, kindnet)? */
  nodePodCidrRequired: boolean;
  /** Reads the CIDR the CNI was actually configured with, from the cluster. */
  configuredRange?: (kube: Kube) => Promise<{ value: string; source: string } | undefined>;
  logPatterns: LogPattern[];
}

const SPLIT = '@@kconform@@';

export async function readNodeFiles(nodes: NodeShell[]): Promise<NodeFiles[]> {
  return await Promise.all(
    nodes.map(async (n): Promise<NodeFiles> => {
      try {
        const r = await n.run(['sh', '-c', `ls -1 /opt/cni/bin 2>/dev/null; echo ${SPLIT}; ls -1 /etc/cni/net.d 2>/dev/null; true`]);
        if (r.exitCode !== 0 || !r.stdout.includes(SPLIT)) return { node: n.name };
        const [bin, conf] = r.stdout.split(SPLIT);
        return { node: n.name, cniBin: (bin ?? '').trim(), cniConf: (conf ?? '').trim() };
      } catch {
        return { node: n.name };
      }
    }),
  );
}

export async function diagnoseCni(spec: PitfallSpec, ctx: PitfallContext): Promise<Pitfall[]> {
  const { kube } = ctx;
  const found: Pitfall[] = [];
  const nodes = await kube.list<NodeObject>('v1', 'Node').catch(() => [] as NodeObject[]);
  const agents = spec.agent
    ? await kube.list<AgentPod>('v1', 'Pod', { namespace: spec.agent.namespace, labelSelector: spec.agent.labelSelector }).catch(() => [] as AgentPod[])
    : [];
  const files = await readNodeFiles(ctx.nodes);

  found.push(...nodePluginPitfalls(spec.nodePlugins, files));
  // kind names a node's container after the node, so node files and node objects line up by name.
  const readyOn = new Set(agents.filter(podReady).map((p) => p.spec?.nodeName ?? ''));
  found.push(...agentInstallPitfalls(spec.recipe, spec.agentInstalls, files, readyOn));
  found.push(...nodePodCidrPitfalls(ctx.podSubnet, nodes, { required: spec.nodePodCidrRequired }));
  if (spec.configuredRange) {
    const configured = await spec.configuredRange(kube).catch(() => undefined);
    const p = configuredRangePitfall(ctx.podSubnet, configured);
    if (p) found.push(p);
  }
  found.push(...imagePitfalls(agents));

  if (spec.agent) {
    if (agents.length < nodes.length) found.push(...(await notCreated(kube, spec.agent.namespace, spec.recipe)));
    for (const p of agents.filter((x) => !podReady(x)).slice(0, 3)) {
      const logs = await agentLogs(kube, p, ctx.signal);
      found.push(...logPitfalls(p.metadata.name ?? '?', logs, spec.logPatterns));
    }
  }
  return uniquePitfalls(found);
}

async function agentLogs(kube: Kube, p: AgentPod, signal: AbortSignal | undefined): Promise<string> {
  const ns = p.metadata.namespace ?? '';
  const name = p.metadata.name ?? '';
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const parts: string[] = [];
  for (const c of statuses) {
    const opts = { container: c.name, tailLines: 60, limitBytes: 64 * 1024, ...(signal ? { signal } : {}) };
    parts.push(await kube.logs(ns, name, opts).catch(() => ''));
    if (c.restartCount > 0) parts.push(await kube.logs(ns, name, { ...opts, previous: true }).catch(() => ''));
  }
  return parts.join('\n');
}

/** A DaemonSet that cannot make its pods says why in a FailedCreate event. */
async function notCreated(kube: Kube, namespace: string, recipe: string): Promise<Pitfall[]> {
  const events = await kube.events(namespace).catch(() => []);
  const failed = events.filter((e) => e.reason === 'FailedCreate').slice(-1);
  return failed.map((e) => ({
    name: 'cni-agent-not-created',
    detail: `${e.object}: ${e.message}`,
    fix: `the ${recipe} DaemonSet cannot create its pods: fix what the event names (service account, pod security, quota)`,
  }));
}

interface DaemonSetLike extends KubeObject {
  spec?: { template?: { spec?: { containers?: { name: string; env?: { name: string; value?: string }[] }[] } } };
}

/** A literal env value of a DaemonSet's container (where CNIs take their pod CIDR). */
export async function daemonSetEnv(kube: Kube, ref: { namespace: string; name: string; container: string; env: string }): Promise<string | undefined> {
  const ds = await kube.get<DaemonSetLike>({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: ref.namespace, name: ref.name });
  const c = ds?.spec?.template?.spec?.containers?.find((x) => x.name === ref.container);
  return c?.env?.find((e) => e.name === ref.env)?.value;
}
