// One probe round: every model pod probes every target at once (one exec per
// pod, the pods in parallel); the answers form the observed truth table.
import pLimit from 'p-limit';
import type { CheckContext } from '../types.ts';
import { DNS_TARGET, flowKey, flows, targetPod, type Model, type PodId, type Table } from './spec/model.ts';
import { parseProbeOutput, probeScript, type ProbeResult, type ProbeTarget } from './probe.ts';
import { containerName } from './workload.ts';

export interface ModelPods {
  /** podId ("x/a") -> real namespace and pod name, and its IP. */
  byId: Map<PodId, { namespace: string; name: string; ip: string }>;
}

export interface Round {
  table: Table;
  /** Why each denied flow failed (REFUSED, TIMEOUT...), by flow key. */
  details: Map<string, string>;
  /** Pods whose exec failed, with the error. */
  errors: string[];
  ms: number;
}

const EXEC_PARALLEL = 6;

/** Where a target listens and what it answers (serve-hostname: the pod's name). */
function addressOf(pods: ModelPods, target: string): { host: string; port: number; name: string } | undefined {
  const pod = targetPod(target);
  const p = pod ? pods.byId.get(pod) : undefined;
  if (!p) return undefined;
  return { host: p.ip, port: Number(target.slice(target.indexOf(':') + 1).split('/')[0]), name: p.name };
}

export async function probeRound(ctx: CheckContext, model: Model, pods: ModelPods, timeoutSec: number): Promise<Round> {
  const start = Date.now();
  const table: Table = new Map();
  const details = new Map<string, string>();
  const errors: string[] = [];
  const bySource = new Map<PodId, string[]>();
  for (const f of flows(model)) bySource.set(f.from, [...(bySource.get(f.from) ?? []), f.to]);
  const limit = pLimit(EXEC_PARALLEL);
  await Promise.all(
    [...bySource.entries()].map(([from, targets]) =>
      limit(async () => {
        const pod = pods.byId.get(from);
        if (!pod) return;
        const probes: ProbeTarget[] = targets.map((target, i) => ({
          id: `t${i}`,
          target,
          protocol: target === DNS_TARGET ? 'dns' : (target.endsWith('/UDP') ? 'udp' : 'tcp'),
          ...(target === DNS_TARGET ? {} : addressOf(pods, target)),
        }));
        let results: Map<string, ProbeResult>;
        try {
          const res = await ctx.kube.exec(
            { namespace: pod.namespace, name: pod.name, container: containerName(model.ports[0]!) },
            ['sh', '-c', probeScript(probes, timeoutSec)],
            { timeoutMs: timeoutSec * 1000 + 10_000, signal: ctx.signal },
          );
          results = parseProbeOutput(res.stdout, probes);
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          errors.push(`${from}: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
        for (const [target, r] of results) {
          const key = flowKey({ from, to: target });
          table.set(key, r.verdict);
          if (r.detail) details.set(key, r.detail);
        }
      }),
    ),
  );
  return { table, details, errors, ms: Date.now() - start };
}
