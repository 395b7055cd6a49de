// The `nodes` check: count and roles, readiness, conditions, versions, runtime,
// CNI on every node, CoreDNS and kube-proxy. Waits (watch-based) up to `settle`
// for a transient state to clear, then states each problem with its cause.
import type { NodesSpec } from '../../suite/specs/nodes.ts';
import { parseDuration } from '../../suite/common.ts';
import type { CheckDefinition } from '../types.ts';
import { settle } from '../../kube/settle.ts';
import { evaluateNodes, type NodesVerdict } from './evaluate.ts';
import type { NodeObject, PodObject } from '../../kube/objects.ts';

const DEFAULT_SETTLE_MS = 30_000;

export const nodesCheck: CheckDefinition<NodesSpec> = {
  kind: 'nodes',
  proves: 'every node is Ready with healthy conditions, the expected roles, versions and runtime, and the CNI, CoreDNS and kube-proxy run on it',
  needs: () => ({ minNodes: 1 }),
  async run(spec, ctx) {
    const settleMs = Math.min(spec.settle ? parseDuration(spec.settle) : DEFAULT_SETTLE_MS, Math.max(0, ctx.remainingMs() - 2_000));
    ctx.log('reading nodes and system pods');
    const result = await settle<NodesVerdict>(
      ctx.kube,
      [
        { apiVersion: 'v1', kind: 'Node' },
        { apiVersion: 'v1', kind: 'Pod' },
      ],
      ([nodes, pods]) => {
        const v = evaluateNodes(spec, (nodes ?? []) as NodeObject[], (pods ?? []) as PodObject[]);
        return { ok: v.ok, verdict: v };
      },
      { timeoutMs: settleMs, signal: ctx.signal },
    );
    const v = result.verdict;
    const evidence = [
      {
        kind: 'table' as const,
        title: 'nodes',
        columns: ['node', 'role', 'Ready', 'kubelet', 'runtime', v.cni === 'none' ? 'CNI' : v.cni, 'kube-proxy'],
        rows: v.nodes.map((n) => [n.name, n.role, n.ready, n.kubelet, n.runtime, n.cniPod, n.kubeProxy]),
      },
    ];
    if (v.ok) return { status: 'pass', reason: v.summary, evidence };
    const waited = result.waitedMs > 1000 ? ` (after ${Math.round(result.waitedMs / 1000)}s)` : '';
    return {
      status: 'fail',
      reason: `${v.problems[0]}${v.problems.length > 1 ? ` (+${v.problems.length - 1} more)` : ''}${waited}`,
      evidence: [...evidence, { kind: 'text', title: 'problems', text: v.problems.join('\n') }],
      assertions: [
        { name: 'node count and roles', passed: !v.problems.some((p) => /^expected \d+ (nodes|control-plane|worker)/.test(p)) },
        { name: 'every node Ready', passed: v.nodes.every((n) => n.ready === 'True') },
        { name: 'CNI on every node', passed: v.cni !== 'none' && v.nodes.every((n) => n.cniPod === 'Running') },
        { name: 'runtime and kubelet as expected', passed: !v.problems.some((p) => /container runtime is|kubelet v/.test(p)) },
        { name: 'CoreDNS and kube-proxy healthy', passed: !v.problems.some((p) => /CoreDNS|kube-proxy/.test(p)) },
      ],
    };
  },
};
