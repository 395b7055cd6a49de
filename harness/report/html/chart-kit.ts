// What the SVG charts share: text width estimates (no canvas on the server),
// number formats and a palette that stays apart for colour-blind readers.

/** Width of `text` at `px` in a system sans-serif: an estimate, generous on purpose. */
export function textWidth(text: string, px = 12): number {
  return [...text].length * px * 0.62;
}

/** Okabe-Ito: told apart with the common colour-vision deficiencies. */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/** A second cue beside colour: each series also gets its own dash pattern. */
export const SERIES_DASHES = ['', '7 3', '2 3', '9 3 2 3', '4 4', '1 2', '12 4'];

export function seriesStyle(index: number): { colour: string; dash: string } {
  return {
    colour: SERIES_COLOURS[index % SERIES_COLOURS.length] ?? '#000000',
    dash: SERIES_DASHES[index % SERIES_DASHES.length] ?? '',
  };
}

/** 1234 -> "1,234"; 0.5 -> "0.5"; 1.2345 -> "1.23". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Number(n.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** A p-value as a reader compares it with alpha: 0.42, 0.031, 1.2e-33. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p === 0) return '0';
  if (p >= 0.001) return String(Number(p.toPrecision(2)));
  return p.toExponential(1);
}

/** Milliseconds since the start as an axis label: 0s, 1.5s, 2m30s. */
export function formatOffset(ms: number, stepMs: number): string {
  const s = ms / 1000;
  if (Math.abs(s) >= 120) {
    const whole = Math.round(s);
    const sign = whole < 0 ? '-' : '';
    const a = Math.abs(whole);
    return `${sign}${Math.floor(a / 60)}m${String(a % 60).padStart(2, '0')}s`;
  }
  const decimals = stepMs >= 1000 || stepMs <= 0 ? 0 : stepMs >= 100 ? 1 : 2;
  return `${Number(s.toFixed(decimals))}s`;
}

/** Smallest and largest of `values` (no spread: a long timeline would overflow the stack). */
export function extent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}
