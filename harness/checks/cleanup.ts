// Undo steps registered right after each create/change, run in reverse order,
// every one attempted even when an earlier one fails; each recorded.

export interface CleanupRecord {
  description: string;
  ok: boolean;
  error?: string;
  durationMs: number;
}

type Step = { description: string; undo: () => Promise<unknown> };

export class Cleanup {
  #steps: Step[] = [];
  #records: CleanupRecord[] = [];

  /** Register an undo step; returns a function that forgets it (when already undone). */
  add(description: string, undo: () => Promise<unknown>): () => void {
    const step = { description, undo };
    this.#steps.push(step);
    return () => {
      this.#steps = this.#steps.filter((s) => s !== step);
    };
  }

  get pending(): number {
    return this.#steps.length;
  }

  get records(): readonly CleanupRecord[] {
    return this.#records;
  }

  /** Run every pending step, newest first. Never throws; returns the failures. */
  async run(): Promise<CleanupRecord[]> {
    const failures: CleanupRecord[] = [];
    while (this.#steps.length > 0) {
      const step = this.#steps.pop()!;
      const start = Date.now();
      try {
        await step.undo();
        this.#records.push({ description: step.description, ok: true, durationMs: Date.now() - start });
      } catch (err) {
        const rec = {
          description: step.description,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
          durationMs: Date.now() - start,
        };
        this.#records.push(rec);
        failures.push(rec);
      }
    }
    return failures;
  }
}
