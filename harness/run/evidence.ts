// Evidence the runner gathers around a failed check: events, describe-style pod
// status, and logs of the pods involved. Each collector is best-effort.
import type { Kube } from '../kube/client.ts';
import type { KubeObject, ObjectRef } from '../kube/types.ts';
import type { Evidence } from '../results/model.ts';

interface PodLike extends KubeObject {
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: {
    phase?: string;
    podIP?: string;
    containerStatuses?: { name: string; ready: boolean; restartCount: number; state?: Record<string, { reason?: string; message?: string } | undefined> }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

const MAX_LOG_PODS = 6;

export async function collectEvidence(kube: Kube, namespace: string, involved: ObjectRef[]): Promise<Evidence[]> {
  const out: Evidence[] = [];
  const namespaces = new Set([namespace, ...involved.map((r) => r.namespace).filter((n): n is string => !!n)]);
  for (const ns of namespaces) {
    try {
      const events = await kube.events(ns);
      if (events.length) out.push({ kind: 'events', title: `events in ${ns}`, events: events.slice(-50) });
    } catch (err) {
      out.push({ kind: 'text', title: `events in ${ns}`, text: `could not read events: ${msg(err)}` });
    }
  }
  let pods: PodLike[] = [];
  try {
    pods = await kube.list<PodLike>('v1', 'Pod', { namespace });
  } catch (err) {
    out.push({ kind: 'text', title: `pods in ${namespace}`, text: `could not list pods: ${msg(err)}` });
  }
  if (pods.length) {
    out.push({
      kind: 'table',
      title: `pods in ${namespace}`,
      columns: ['pod', 'phase', 'ready', 'restarts', 'node', 'ip', 'waiting/terminated'],
      rows: pods.map(podRow),
    });
  }
  const involvedPods = new Set(involved.filter((r) => r.kind === 'Pod').map((r) => `${r.namespace ?? namespace}/${r.name}`));
  // Logs of the pods named by the check, else of the pods that are not Ready.
  const logPods = pods.filter((p) => (involvedPods.size ? involvedPods.has(`${namespace}/${p.metadata.name}`) : !isReady(p)));
  for (const p of logPods.slice(0, MAX_LOG_PODS)) {
    for (const c of p.spec?.containers ?? []) {
      try {
        const text = await kube.logs(namespace, p.metadata.name ?? '', { container: c.name, tailLines: 40 });
        if (text.trim()) out.push({ kind: 'logs', title: `logs ${p.metadata.name}/${c.name}`, pod: p.metadata.name ?? '', container: c.name, text });
      } catch {
        // A pod that never started has no logs; its status row already says why.
      }
    }
  }
  return out;
}

function podRow(p: PodLike): string[] {
  const cs = p.status?.containerStatuses ?? [];
  const ready = `${cs.filter((c) => c.ready).length}/${cs.length || (p.spec?.containers?.length ?? 0)}`;
  const restarts = String(cs.reduce((n, c) => n + c.restartCount, 0));
  const states = cs
    .flatMap((c) => Object.entries(c.state ?? {}).filter(([k, v]) => k !== 'running' && v).map(([k, v]) => `${c.name}: ${k} ${v?.reason ?? ''}`.trim()))
    .join('; ');
  const unsched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return [
    p.metadata.name ?? '',
    p.status?.phase ?? '',
    ready,
    restarts,
    p.spec?.nodeName ?? '',
    p.status?.podIP ?? '',
    states || (unsched ? `unschedulable: ${unsched.message ?? unsched.reason ?? ''}` : ''),
  ];
}

function isReady(p: PodLike): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
