// Which check runs when, with --parallel above 1: up to `slots` checks at once
// over every suite, an exclusive check (one that changes nodes: cordon, taint,
// node labels) alone on the cluster, and the suites served in turn so one long
// suite does not wait behind the checks of another.
//
// An exclusive check waits for the running checks to finish and holds back new
// ones while it waits (else a stream of short checks could keep it waiting to
// the end); waiting exclusive checks go first when the cluster is idle, so at
// the start of a run, when nothing is running yet, they cost no waiting at all.
// Slow checks (rollouts, NetworkPolicy tables) start before short ones: the
// short ones fill the slots around them instead of a long one starting last.
// A check's deadline starts when it is given its turn here, never while queued.
// A tolerant check (its pods tolerate this run's node changes, none pinned to a
// node) is the one kind that may run beside an exclusive one.

export interface ScheduledTask {
  /** Index of the check's suite, for taking the suites in turn. */
  suite: number;
  /** Runs with nothing else on the cluster. */
  exclusive: boolean;
  /** Cannot feel what an exclusive check changes (its pods tolerate this run's node changes, none pinned): may run beside one. */
  tolerant?: boolean;
  /** Typically half a minute or more (the `slow` label): started before short ones, so the run does not end waiting on a long check that started last. */
  slow?: boolean;
  run(): Promise<void>;
}

interface Waiter {
  task: ScheduledTask;
  seq: number;
  start(): void;
}

export class CheckScheduler {
  private readonly waiting: Waiter[] = [];
  private readonly runningBySuite = new Map<number, number>();
  private running = 0;
  /** Running tasks that are not tolerant (an exclusive one counts). */
  private runningIntolerant = 0;
  private exclusiveRunning = false;
  private open = false;
  private seq = 0;
  private peak = 0;

  /** Starts closed: tasks queue until open(), so those submitted together are ordered among themselves. */
  private readonly slots: number;

  constructor(slots: number) {
    this.slots = slots;
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`CheckScheduler: slots must be a whole number of at least 1, got ${slots}`);
  }

  /** Lets queued and later tasks start. */
  openGate(): void {
    this.open = true;
    this.pump();
  }

  /** Most tasks that ran at once (for tests and progress lines). */
  get peakRunning(): number {
    return this.peak;
  }

  /** Resolves (or rejects) with the task once it has had its turn and finished. */
  submit(task: ScheduledTask): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({
        task,
        seq: this.seq++,
        start: () => {
          this.running++;
          if (task.tolerant !== true) this.runningIntolerant++;
          this.peak = Math.max(this.peak, this.running);
          if (task.exclusive) this.exclusiveRunning = true;
          this.runningBySuite.set(task.suite, (this.runningBySuite.get(task.suite) ?? 0) + 1);
          let ran: Promise<void>;
          try {
            ran = task.run();
          } catch (err) {
            ran = Promise.reject(err instanceof Error ? err : new Error(String(err)));
          }
          ran.then(
            () => this.finish(task, () => resolve()),
            (err: unknown) => this.finish(task, () => reject(err instanceof Error ? err : new Error(String(err)))),
          );
        },
      });
      this.pump();
    });
  }

  private finish(task: ScheduledTask, settle: () => void): void {
    this.running--;
    if (task.tolerant !== true) this.runningIntolerant--;
    if (task.exclusive) this.exclusiveRunning = false;
    this.runningBySuite.set(task.suite, (this.runningBySuite.get(task.suite) ?? 1) - 1);
    settle();
    this.pump();
  }

  private pump(): void {
    while (this.open && this.waiting.length > 0) {
      const exclusive = this.exclusiveRunning ? undefined : this.waiting.find((w) => w.task.exclusive);
      // Beside tolerant checks only; it need not wait for a slot of theirs.
      if (exclusive && this.runningIntolerant === 0) {
        this.take(exclusive);
        continue;
      }
      // While a check runs alone, or waits to, only checks that cannot feel it start.
      if (this.running >= this.slots) return;
      const next = this.fairest(this.exclusiveRunning || exclusive !== undefined);
      if (!next) return;
      this.take(next);
    }
  }

  /** A slow waiting task before a short one; then the suite with the fewest checks running; first come among equals. Never an exclusive one. */
  private fairest(onlyTolerant: boolean): Waiter | undefined {
    const can = this.waiting.filter((w) => !w.task.exclusive && (!onlyTolerant || w.task.tolerant === true));
    const slow = can.filter((w) => w.task.slow === true);
    let best: Waiter | undefined;
    for (const w of slow.length > 0 ? slow : can) {
      const a = this.runningBySuite.get(w.task.suite) ?? 0;
      const b = best ? (this.runningBySuite.get(best.task.suite) ?? 0) : Infinity;
      if (!best || a < b || (a === b && w.seq < best.seq)) best = w;
    }
    return best;
  }

  private take(w: Waiter): void {
    this.waiting.splice(this.waiting.indexOf(w), 1);
    w.start();
  }
}

/**
 * Which earlier checks of its suite a check waits for. A standalone check
 * (it creates and reads only its own objects) waits only for the ordered ones
 * before it; an ordered check (assert, exec, http: it may read what an earlier
 * check left) waits for every check before it, as in a serial run.
 */
export function waitsFor(standalone: readonly boolean[]): number[][] {
  return standalone.map((own, i) => {
    const before = Array.from({ length: i }, (_, j) => j);
    return own ? before.filter((j) => !standalone[j]) : before;
  });
}
