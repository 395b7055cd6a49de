// `workload` mode multiContainer: one pod, two containers (a netexec server and
// an idle sidecar) with an emptyDir mounted in both; see pod-sharing.ts for what
// is proven and how.
import type { WorkloadMultiContainerSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { CheckContext, CheckOutcome } from '../types.ts';
import type { PodObject } from '../../kube/objects.ts';
import { LABEL_CHECK, netexecContainer, PROBE_PORT, probePodOf, probeBaseName, probeLabels } from '../common/probe-manifests.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import { nodeChangeTolerations } from '../common/node-change-tolerations.ts';
import { echoMessage } from '../common/probe-echo.ts';
import { secs } from '../common/timing-words.ts';
import { judgeSharing, parseContainerView, readerScript, SHARED_DIR, writerScript } from './pod-sharing.ts';

const WRITER = 'web';
const READER = 'sidecar';

export function twoContainerPod(o: { name: string; namespace: string; image: string; labels: Record<string, string>; tolerations?: Record<string, unknown>[] }): KubeObject {
  const mount = [{ name: 'shared', mountPath: SHARED_DIR }];
  return probePodOf(o, {
    volumes: [{ name: 'shared', emptyDir: {} }],
    containers: [
      { ...netexecContainer({ name: WRITER, image: o.image }), volumeMounts: mount },
      { name: READER, image: o.image, imagePullPolicy: 'IfNotPresent', args: ['pause'], volumeMounts: mount },
    ],
  });
}

export async function runMultiContainer(spec: WorkloadMultiContainerSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const base = probeBaseName(spec.name ?? 'workload-multicontainer', ctx.attempt);
  const ns = ctx.namespace;
  const involved = [{ apiVersion: 'v1', kind: 'Pod', name: base, namespace: ns }];
  ctx.log(`creating pod ${base} with containers ${WRITER} and ${READER} sharing an emptyDir`);
  await createTracked(ctx, twoContainerPod({ name: base, namespace: ns, image: ctx.images.agnhost, labels: probeLabels(base, 'pod'), tolerations: nodeChangeTolerations(ctx.runId) }));
  const readyMs = Math.min(spec.readyTimeout ? parseDuration(spec.readyTimeout) : 60_000, ctx.remainingMs() - 10_000);
  const ready = await waitPodsReady(ctx, [base], `${LABEL_CHECK}=${base}`, readyMs);
  const pod = ready.pods.get(base) as (PodObject & { status?: { podIPs?: { ip: string }[] } }) | undefined;
  if (ready.notReady.length > 0 || !pod?.status?.podIP) {
    return { status: 'fail', reason: `pod ${base} not Ready after ${secs(ready.waitedMs)}: ${ready.notReady[0]?.state ?? 'no pod IP'}`, involved };
  }

  const note = echoMessage(ctx.nonce, 'note');
  const echo = echoMessage(ctx.nonce, 'localhost');
  const noteFile = `kconform-${ctx.nonce}.txt`;
  ctx.log(`container ${WRITER} writes ${SHARED_DIR}/${noteFile}; ${READER} reads it and calls ${WRITER} on localhost`);
  const run = async (container: string, script: string) => {
    const r = await ctx.kube.exec({ namespace: ns, name: base, container }, ['sh', '-c', script], { timeoutMs: 20_000, signal: ctx.signal });
    return parseContainerView(`${r.stdout}\n${r.stderr}`);
  };
  // The reader runs after the writer: the note must be there to be read.
  const writer = await run(WRITER, writerScript(noteFile, note));
  const reader = await run(READER, readerScript(noteFile, PROBE_PORT, `/echo?msg=${echo}`));
  const v = judgeSharing({
    podIP: pod.status.podIP,
    podIPs: (pod.status.podIPs ?? []).map((p) => p.ip),
    writer,
    reader,
    note,
    echo,
    names: { writer: WRITER, reader: READER },
  });
  const evidence = [{ kind: 'table' as const, title: `pod ${base}: containers ${WRITER} and ${READER}`, columns: ['promise', 'kept', 'detail'], rows: v.checks.map((c) => [c.name, c.passed ? 'yes' : 'no', c.detail]) }];
  const assertions = v.checks.map((c) => ({ name: c.name, passed: c.passed }));
  if (v.ok) {
    return { status: 'pass', reason: `pod ${base}: ${WRITER} and ${READER} share one network namespace (IP ${pod.status.podIP}, localhost) and the volume ${SHARED_DIR} (nonce note read back), not their filesystems`, evidence, assertions };
  }
  const bad = v.checks.filter((c) => !c.passed);
  return { status: 'fail', reason: `pod ${base}: ${bad.map((c) => `${c.name}: no (${c.detail})`).join('; ')}`, evidence, assertions, involved };
}
