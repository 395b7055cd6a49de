// A check's deadline is kept: the verdict is due within DEADLINE_GRACE_MS of it.
// What still runs after the deadline (evidence collection) gets what is left of
// that grace; undoing the check's changes comes after the verdict, timed apart.

/** How late a verdict may come after the deadline. */
export const DEADLINE_GRACE_MS = 500;
/** How long the check's own promise may take to say what its wait last saw, after the deadline. */
export const LAST_SEEN_WAIT_MS = 100;
/** Kept back from the grace for the verdict itself: on a loaded machine timers fire late (CI once saw 102 ms). */
export const VERDICT_MARGIN_MS = 200;
/** A WaitTimeoutError this close to the deadline was cut short by it (its budget was the time left). */
export const WAIT_AT_DEADLINE_MS = 250;

/** The promise's value, or undefined when `ms` passes first (the promise is left to settle on its own). */
export async function withinGrace<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) {
    p.catch(() => undefined);
    return undefined;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
    p.catch(() => undefined);
  }
}
