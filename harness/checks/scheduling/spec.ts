// The `scheduling` check kind: node labels and nodeSelector, taints and
// tolerations, the control-plane taint; one behaviour per entry, chosen by `mode`.
// Steps that label or taint a node are destructive (refused in read-only mode)
// and always undone.
import { z } from 'zod';
import { Duration, commonCheckFields } from '../../suite/common.ts';

const NodeName = z
  .string({ error: 'expected a node name' })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'expected a node name (a DNS subdomain)' })
  .max(253);

/** A label key as Kubernetes allows it: an optional DNS-subdomain prefix and a name. */
const LabelKey = z
  .string({ error: 'expected a label key' })
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, { error: 'expected a label key like disktype or example.com/disktype' });
const LabelValue = z
  .string({ error: 'expected a label value' })
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, { error: 'expected a label value: letters, digits, - _ . (at most 63)' })
  .max(63);

const base = {
  kind: z.literal('scheduling'),
  ...commonCheckFields,
};

export const SchedulingNodeSelectorSpec = z
  .strictObject({
    ...base,
    mode: z.literal('nodeSelector').describe('Pods with a nodeSelector on a node label land on the labelled node(s) and only there.'),
    label: z
      .strictObject({ key: LabelKey, value: LabelValue })
      .optional()
      .describe('Use this existing node label (not destructive: nodes are not changed). Default: the check labels a worker with kconform.io/sched-<runId>=x and removes it after (destructive).'),
    node: NodeName.optional().describe('The worker to label (default: the first schedulable worker). Not with label.'),
    replicas: z.int().min(1).max(10).optional().describe('Pods with the nodeSelector (default 3).'),
    scheduleTimeout: Duration.optional().describe('Time the pods have to be Ready (default 60s).'),
  })
  .refine((s) => !(s.label && s.node), { error: 'node names the worker the check labels itself: leave it out when label is given', path: ['node'] })
  .describe('nodeSelector: pods land on the labelled node and only there; a label no node carries is named (with near misses).');

export const SchedulingTaintsSpec = z
  .strictObject({
    ...base,
    mode: z.literal('taints').describe('A NoSchedule taint keeps pods off a node; a toleration lets them on (destructive: taints a worker, always undone).'),
    node: NodeName.optional().describe('The worker to taint (default: the first schedulable worker).'),
    scheduleTimeout: Duration.optional().describe('Time the pods have to be scheduled (default 60s).'),
  })
  .describe('Taints and tolerations: a pod pinned to a NoSchedule-tainted worker stays Pending, spread pods avoid it, a tolerating pod runs there.');

export const SchedulingControlPlaneSpec = z
  .strictObject({
    ...base,
    mode: z.literal('controlPlane').describe('The control-plane taint keeps pods without a toleration off control-plane nodes; with it they run there.'),
    expectTainted: z.boolean().optional().describe('true (default): control-plane nodes must carry a NoSchedule taint; false: they must take ordinary pods (the taint was removed on purpose).'),
    scheduleTimeout: Duration.optional().describe('Time the pods have to be scheduled (default 60s).'),
  })
  .describe('Control-plane nodes: each is named with its taint, and the scheduler is shown to honour it (a pod without a toleration stays Pending there, one with it runs).');

export const SchedulingSpec = z.discriminatedUnion('mode', [SchedulingNodeSelectorSpec, SchedulingTaintsSpec, SchedulingControlPlaneSpec], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected mode to be one of: nodeSelector, taints, controlPlane' : undefined),
});
export type SchedulingSpec = z.infer<typeof SchedulingSpec>;
export type SchedulingNodeSelectorSpec = z.infer<typeof SchedulingNodeSelectorSpec>;
export type SchedulingTaintsSpec = z.infer<typeof SchedulingTaintsSpec>;
export type SchedulingControlPlaneSpec = z.infer<typeof SchedulingControlPlaneSpec>;
