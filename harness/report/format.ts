// Formatting shared by every reporter: durations, counts, fixed-width columns.
// Pure functions, no colour and no I/O.

/** 0.4s, 1.2s, 38s, 2m04s, 1h02m: short enough for a column, exact enough to compare. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${pad2(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "1 check", "6 checks". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Columns a string takes in a terminal; counts code points (good enough for our glyphs). */
export function displayWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function padEnd(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/** Cut to `width` columns, marking the cut with a final '.' as in "serviceDist.". */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return chars.slice(0, Math.max(0, width - 1)).join('') + '.';
}

/** Seconds for JUnit's time attribute, to the millisecond. */
export function toSeconds(ms: number): number {
  return Math.round(Math.max(0, ms)) / 1000;
}

// eslint-disable-next-line no-control-regex -- matching terminal escapes is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Drop terminal colour and cursor codes (pod logs often carry them). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A one-line form of `text`, for attributes and console columns. */
export function oneLine(text: string): string {
  return stripAnsi(text).replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
