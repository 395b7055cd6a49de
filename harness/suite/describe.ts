// Words for what was found, the "got ..." half of every message.

const MAX_SHOWN = 40;

/** What kind of thing a value is: `'soon'`, `a number`, `a list`, `nothing`. */
export function describeType(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty map';
    const shown = keys.slice(0, 10).map((k) => (k.length > MAX_SHOWN ? `${k.slice(0, MAX_SHOWN - 1)}…` : k));
    return `a map with keys ${shown.join(', ')}${keys.length > 10 ? ` and ${keys.length - 10} more` : ''}`;
  }
  return typeof value;
}

/** What kind of thing a value is, never the text itself: for files that may hold secrets. */
export function describeShape(value: unknown): string {
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a line of text (not YAML with keys)';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty map' : `a map with ${keys.length} key(s)`;
  }
  return describeType(value);
}

/** The value itself where it is short and telling (numbers, strings), else its kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length > 0) return value.length === 1 ? 'a list of 1 item' : `a list of ${value.length} items`;
  return describeType(value);
}

export function quote(text: string): string {
  if (text === '') return 'an empty string';
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  return `'${shown.replace(/\n/g, '\\n')}'`;
}
