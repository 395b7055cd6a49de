// The `workload` check: the classic Deployment and Pod exercises, by mode
// (self-healing.ts, scaling.ts, multi-container.ts; each a separate graded entry).
import type { WorkloadSpec } from './spec.ts';
import type { CheckDefinition } from '../types.ts';
import { runMultiContainer } from './multi-container.ts';
import { runScaling } from './scaling.ts';
import { runSelfHealing } from './self-healing.ts';

export const workloadCheck: CheckDefinition<WorkloadSpec> = {
  kind: 'workload',
  proves: 'a Deployment replaces a deleted pod and follows scaling with Ready pods and endpoints, and the containers of one pod share its network namespace and volumes',
  standalone: true,
  // Every pod of every mode tolerates this run's node changes and none is pinned (deployment-watch.ts, multi-container.ts).
  needs: () => ({ minNodes: 1, toleratesNodeChanges: true }),
  async run(spec, ctx) {
    switch (spec.mode) {
      case 'selfHealing':
        return runSelfHealing(spec, ctx);
      case 'scaling':
        return runScaling(spec, ctx);
      case 'multiContainer':
        return runMultiContainer(spec, ctx);
      default:
        return spec satisfies never;
    }
  },
};
