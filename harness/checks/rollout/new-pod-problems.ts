// Why a pod of a new revision will not become Ready, as soon as it shows it:
// an image that cannot be pulled, a container that crashes, a pod nothing can
// schedule. Named with the pod, its image and the kubelet's or scheduler's
// reason, so a rollout that cannot complete says why within seconds instead of
// after its whole deadline. Pure.
import type { PodObject } from '../../kube/objects.ts';

export interface PodProblem {
  pod: string;
  image?: string;
  node?: string;
  /** ErrImagePull, ImagePullBackOff, CrashLoopBackOff, Unschedulable... */
  reason: string;
  message?: string;
}

/** Waiting reasons a pod does not leave by itself soon (each is a named cause). */
const STUCK_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

interface PodWithImages extends PodObject {
  spec?: PodObject['spec'] & { containers?: { name: string; image?: string }[] };
}

export function podProblem(p: PodWithImages): PodProblem | undefined {
  if (p.metadata.deletionTimestamp) return undefined;
  const name = p.metadata.name ?? '';
  const node = p.spec?.nodeName;
  const imageOf = (container: string) => p.spec?.containers?.find((c) => c.name === container)?.image;
  for (const c of p.status?.containerStatuses ?? []) {
    const w = c.state?.waiting;
    if (w?.reason && STUCK_WAITING.has(w.reason)) {
      const img = imageOf(c.name);
      return { pod: name, reason: w.reason, ...(img ? { image: img } : {}), ...(node ? { node } : {}), ...(w.message ? { message: w.message } : {}) };
    }
    // A container that already exited with an error and restarted is crash-looping
    // even before the kubelet's back-off names it so.
    const t = c.state?.terminated;
    if (t && (t.exitCode ?? 0) !== 0 && c.restartCount > 0) {
      const img = imageOf(c.name);
      return { pod: name, reason: 'CrashLoopBackOff', message: `container ${c.name} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''} after ${c.restartCount} restart(s)`, ...(img ? { image: img } : {}), ...(node ? { node } : {}) };
    }
  }
  const unsched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (unsched) return { pod: name, reason: 'Unschedulable', ...(unsched.message ? { message: unsched.message } : {}) };
  return undefined;
}

/** "pod web-5f6-x (image agnhost:2.53, node w2): ErrImagePull: failed to pull ..." */
export function problemWords(pp: PodProblem): string {
  const where = [pp.image ? `image ${pp.image}` : '', pp.node ? `node ${pp.node}` : ''].filter(Boolean).join(', ');
  const msg = pp.message ? `: ${pp.message.replace(/\s+/g, ' ').slice(0, 240)}` : '';
  return `pod ${pp.pod}${where ? ` (${where})` : ''}: ${pp.reason}${msg}`;
}

/** The first problem among the pods `isNew` picks (the revision being rolled out). */
export function firstNewPodProblem(pods: PodWithImages[], isNew: (p: PodWithImages) => boolean): PodProblem | undefined {
  for (const p of [...pods].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))) {
    if (!isNew(p)) continue;
    const pp = podProblem(p);
    if (pp) return pp;
  }
  return undefined;
}
