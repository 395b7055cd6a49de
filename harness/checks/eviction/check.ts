// The `eviction` check, one mode per check: "api" (Eviction API vs a
// PodDisruptionBudget), "drain" (cordon + evict this check's pods from a
// worker), "taint" (NoExecute taint and tolerations). drain and taint change
// nodes, so they declare themselves destructive (skipped in read-only mode).
import type { EvictionSpec } from './spec.ts';
import type { CheckDefinition } from '../types.ts';
import { runApiMode } from './api-mode.ts';
import { runDrainMode } from './drain-mode.ts';
import { runTaintMode } from './taint-mode.ts';

export const evictionCheck: CheckDefinition<EvictionSpec> = {
  kind: 'eviction',
  proves: 'evictions honour PodDisruptionBudgets (429 when one would break), a drained worker loses its pods to other nodes without lost requests, a NoExecute taint evicts pods by their tolerations; nodes are restored',
  standalone: true,
  needs: (spec) =>
    spec.mode === 'api' ? { minNodes: 1 } : spec.mode === 'drain' ? { minSchedulableWorkers: 2, destructive: true } : { minSchedulableWorkers: 1, destructive: true },
  run(spec, ctx) {
    switch (spec.mode) {
      case 'api':
        return runApiMode(spec, ctx);
      case 'drain':
        return runDrainMode(spec, ctx);
      case 'taint':
        return runTaintMode(spec, ctx);
      default: {
        const never: never = spec.mode;
        throw new Error(`unknown eviction mode ${String(never)}`);
      }
    }
  },
};
