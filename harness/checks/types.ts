// The contract every check kind implements. A check gets its resolved spec and a
// context; it returns an outcome (data, never a report). Throwing means the
// harness could not decide (status "error"); a WaitTimeoutError means "fail".
import type { Kube } from '../kube/client.ts';
import type { Assertion, Evidence } from '../results/model.ts';
import type { ObjectRef } from '../kube/types.ts';
import type { Cleanup } from './cleanup.ts';
import type { ClusterShape } from '../cluster/shape.ts';

export interface CheckContext {
  kube: Kube;
  /** The suite's own namespace, created before the check and removed after the suite. */
  namespace: string;
  runId: string;
  /** A per-run random token; every probe answer must echo it. */
  nonce: string;
  /** Aborted on deadline or Ctrl-C. */
  signal: AbortSignal;
  /** Epoch ms by which the check must finish. */
  deadline: number;
  /** Milliseconds left until the deadline. */
  remainingMs(): number;
  /** Register an undo step right after creating or changing something. */
  cleanup: Cleanup;
  /** Destructive steps (cordon, taint, label nodes) are refused when true. */
  readOnly: boolean;
  /** Progress line for the console (not a result). */
  log(message: string): void;
  /** Images the probes use (resolved by the plan: offline builds or registry). */
  images: { agnhost: string };
  /** 1-based attempt number (retries). */
  attempt: number;
  /** --max-wait: caps how long assert, exec and http checks wait for the cluster to come right. */
  maxWaitMs?: number;
  /** The cluster's shape as read before the run (absent in some tests). */
  shape?: ClusterShape;
  /**
   * The evidence has decided the check even if the check goes on (e.g. to watch
   * a rollback): should the deadline end it, this outcome is the verdict instead
   * of "undecided". Absent in some tests.
   */
  decide?(outcome: CheckOutcome): void;
  /**
   * The suite's shared idle client pod, started by the runner during the suite's
   * set-up (common/shared-client.ts). Absent in tests that build a context
   * without a runner, and when the suite has no check that asks for it.
   */
  sharedClient?: SharedClient;
}

/** An idle probe pod in the suite's namespace, shared by the checks of the suite. */
export interface SharedClient {
  pod: string;
  /** Selects that pod alone (for a Ready wait). */
  labelSelector: string;
}

/** What every spec has, whatever its kind (see commonCheckFields in suite/common.ts). */
export interface AnySpec {
  kind: string;
  name?: string | undefined;
}

export interface CheckOutcome {
  status: 'pass' | 'fail' | 'skip';
  reason: string;
  evidence?: Evidence[];
  assertions?: Assertion[];
  /** Objects whose events / status / logs are worth collecting on failure. */
  involved?: ObjectRef[];
}

/** What a check needs from the cluster; unmet needs skip it with the reason. */
export interface CheckNeeds {
  minNodes?: number;
  minSchedulableWorkers?: number;
  /** Changes the cluster outside kconform's namespace (nodes, taints, labels, privileged pods). */
  destructive?: boolean;
  /**
   * With --parallel, runs with nothing else on the cluster (default: when
   * destructive). A change that no other check can feel (a node label of its own
   * run that nothing else selects) need not wait for the cluster to be idle.
   */
  alone?: boolean;
  /**
   * Its pods tolerate this run's node changes (common/node-change-tolerations.ts)
   * and none is pinned to a node: with --parallel it may run beside a check that
   * runs alone.
   */
  toleratesNodeChanges?: boolean;
  /** 'networkPolicy', 'iptablesProxy'. */
  features?: string[];
}

/**
 * The run of one kind. S is the kind's spec (harness/checks/<kind>/spec.ts); the kind
 * list (kinds.ts) pairs each spec with its run and the registry holds them to this type.
 * The default is any spec, as the runner sees it (types.ts does not import the list: the
 * list loads the runs, which import this file).
 */
export interface CheckDefinition<S extends { kind: string } = AnySpec> {
  kind: S['kind'];
  /** One sentence: what a pass proves. */
  proves: string;
  needs(spec: S): CheckNeeds;
  /**
   * Creates, reads and changes only its own objects (named after the check), so
   * with --parallel it may run beside the other checks of its suite, in any
   * order. Kinds without it (assert, exec, http may read what an earlier check
   * left) wait for every check before them.
   */
  standalone?: boolean;
  /**
   * Runs its probes from the suite's shared client (ctx.sharedClient) when there
   * is one: the runner starts it with the suite when a check of the suite says so.
   */
  usesSharedClient?(spec: S): boolean;
  run(spec: S, ctx: CheckContext): Promise<CheckOutcome>;
}
