// The `scheduling` check: node labels and nodeSelector, taints and
// tolerations, the control-plane taint; by mode (node-selector.ts, taints.ts,
// control-plane.ts). Labels and taints it adds are kconform.io/sched-<runId>
// keys, always removed (node-marks.ts).
import type { SchedulingSpec } from './spec.ts';
import type { CheckDefinition } from '../types.ts';
import { runControlPlane } from './control-plane.ts';
import { runNodeSelector } from './node-selector.ts';
import { runTaints } from './taints.ts';

export const schedulingCheck: CheckDefinition<SchedulingSpec> = {
  kind: 'scheduling',
  proves: 'pods with a nodeSelector land on the labelled node only, a NoSchedule taint keeps pods without a toleration off a node while a toleration lets them on, and the control-plane taint is honoured',
  standalone: true,
  // Labelling or tainting a node is destructive; with an existing `label`, or in
  // controlPlane mode, no node is changed. A label kconform.io/sched-<runId> is
  // selected by this check's pods only, so it runs beside others; a taint keeps
  // their pods off the node too, so that mode runs alone.
  needs: (spec) => ({
    minNodes: 1,
    destructive: spec.mode === 'taints' || (spec.mode === 'nodeSelector' && !spec.label),
    alone: spec.mode === 'taints',
    ...(spec.mode === 'controlPlane' ? {} : { minSchedulableWorkers: 1 }),
  }),
  async run(spec, ctx) {
    switch (spec.mode) {
      case 'nodeSelector':
        return runNodeSelector(spec, ctx);
      case 'taints':
        return runTaints(spec, ctx);
      case 'controlPlane':
        return runControlPlane(spec, ctx);
      default:
        return spec satisfies never;
    }
  },
};
