// Reads the routing evidence: routes and links of every node through the
// check's hostNetwork client pods (no privilege needed to read them), BGP
// sessions through the CNI's agent pod where the CNI table says how.
import type { CheckContext } from '../types.ts';
import type { PodObject } from '../../kube/objects.ts';
import { CNI_TABLE } from '../../cluster/cni/table.ts';
import { parseGobgpNeighbors, parseLinks, parseRoutes, type NodeRouting } from './routing.ts';

const SPLIT = '@@kc-links@@';

export async function readRouting(ctx: CheckContext, nodes: { name: string; internalIp?: string; podCidr?: string; hostPod?: string }[]): Promise<NodeRouting[]> {
  const agents = await bgpAgents(ctx);
  return await Promise.all(
    nodes.map(async (n): Promise<NodeRouting> => {
      const base = { node: n.name, ...(n.internalIp ? { ip: n.internalIp } : {}), ...(n.podCidr ? { podCidr: n.podCidr } : {}), routes: [], links: [] };
      if (!n.hostPod) return { ...base, error: 'no hostNetwork pod to read its routes' };
      try {
        const r = await ctx.kube.exec({ namespace: ctx.namespace, name: n.hostPod }, ['sh', '-c', `ip -4 route; echo ${SPLIT}; ip -d link show`], { timeoutMs: 15_000, signal: ctx.signal });
        const [routes, links] = r.stdout.split(SPLIT);
        const out: NodeRouting = { ...base, routes: parseRoutes(routes ?? ''), links: parseLinks(links ?? '') };
        const agent = agents.get(n.name);
        if (agent) {
          try {
            const b = await ctx.kube.exec({ namespace: agent.namespace, name: agent.pod, container: agent.container }, agent.command, { timeoutMs: 15_000, signal: ctx.signal });
            out.bgp = parseGobgpNeighbors(b.stdout);
          } catch (err) {
            if (ctx.signal.aborted) throw err;
            out.error = `BGP sessions not readable in ${agent.namespace}/${agent.pod}: ${err instanceof Error ? err.message : String(err)}`;
          }
        }
        return out;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        return { ...base, error: `routes not readable: ${err instanceof Error ? err.message : String(err)}` };
      }
    }),
  );
}

/** node -> the BGP-speaking agent pod on it, for CNIs whose record says how to read sessions. */
async function bgpAgents(ctx: CheckContext): Promise<Map<string, { namespace: string; pod: string; container: string; command: string[] }>> {
  const out = new Map<string, { namespace: string; pod: string; container: string; command: string[] }>();
  for (const r of CNI_TABLE) {
    if (!r.bgpSessions) continue;
    const pods = await ctx.kube.list<PodObject>('v1', 'Pod', { namespace: r.agentNamespace, signal: ctx.signal }).catch(() => [] as PodObject[]);
    for (const p of pods.filter((x) => r.podSignature(x) && x.status?.phase === 'Running')) {
      const node = p.spec?.nodeName;
      if (node) out.set(node, { namespace: r.agentNamespace, pod: p.metadata.name!, ...r.bgpSessions });
    }
  }
  return out;
}
