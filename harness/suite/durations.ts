// Duration text ("1m30s") to milliseconds and back, apart from the schemas:
// CLI flags parse durations without loading zod.

/** "30s", "2m", "1m30s", "500ms", "1h". */
export const DURATION_RE = /^(\d+(ms|s|m|h))+$/;

/** Timers in Node fire at once beyond this many milliseconds (a 32-bit signed delay). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const DAY_MS = 86_400_000;

/** 90000 -> "1m30s", 0 -> "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

export function parseDuration(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    const n = Number(m[1]);
    ms += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
  }
  return ms;
}
