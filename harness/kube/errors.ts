// Errors of the kube layer. Each carries a one-line human reason; the runner maps
// WaitTimeoutError to a check failure and the others to "error" (undecided).

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly status: number | undefined;
  readonly reason: string | undefined;
  constructor(message: string, opts: { status?: number; reason?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.status = opts.status;
    this.reason = opts.reason;
  }
}

/** The cluster could not be reached at all (DNS, refused, TLS, auth). */
export class ClusterUnreachableError extends KubeApiError {
  override readonly name = 'ClusterUnreachableError' as 'KubeApiError';
}

/** An apply stopped at one object; `applied` holds the objects applied before it (for cleanup). */
export class ApplyError extends KubeApiError {
  override readonly name = 'ApplyError' as 'KubeApiError';
  readonly applied: readonly { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } }[];
  constructor(message: string, opts: { applied: ApplyError['applied']; status?: number | undefined; reason?: string | undefined; cause?: unknown }) {
    super(message, {
      ...(opts.status !== undefined ? { status: opts.status } : {}),
      ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
      cause: opts.cause,
    });
    this.applied = opts.applied;
  }
}

/** A wait ran out of time; `lastObserved` says what was seen last, in words. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  readonly lastObserved: string;
  readonly waitedMs: number;
  constructor(what: string, waitedMs: number, lastObserved: string) {
    super(`${what}: not reached after ${Math.round(waitedMs / 1000)}s; last seen: ${lastObserved}`);
    this.lastObserved = lastObserved;
    this.waitedMs = waitedMs;
  }
}

/** The run was interrupted (Ctrl-C, SIGTERM) while waiting. */
export class AbortedError extends Error {
  override readonly name = 'AbortedError';
  /** What the interrupted wait last saw, when it was waiting for something. */
  readonly lastObserved: string | undefined;
  constructor(what = 'interrupted', lastObserved?: string) {
    super(what);
    this.lastObserved = lastObserved;
  }
}
