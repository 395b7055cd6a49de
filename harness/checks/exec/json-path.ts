// A small JSON path: `$`, `.key`, `[index]`, `['key']` / `["key"]`. Enough to
// point into command output and HTTP answers; no filters or wildcards. Pure.

export type Segment = string | number;

/** The segments of a path, or throws with what was expected where. */
export function parseJsonPath(path: string): Segment[] {
  const out: Segment[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  while (i < path.length) {
    const rest = path.slice(i);
    const dot = /^\.([A-Za-z_][\w-]*)/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(rest);
    if (dot) {
      out.push(dot[1]!);
      i += dot[0].length;
    } else if (index) {
      out.push(Number(index[1]));
      i += index[0].length;
    } else if (quoted) {
      out.push(quoted[1] ?? quoted[2] ?? '');
      i += quoted[0].length;
    } else {
      throw new Error(`JSON path ${JSON.stringify(path)}: expected .key, [index] or ['key'] at ${JSON.stringify(rest)}`);
    }
  }
  return out;
}

/** The value at `path`, or found: false when a step is missing. */
export function jsonPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = value;
  for (const seg of parseJsonPath(path)) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return { found: false };
      cur = cur[seg];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, seg)) return { found: false };
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: cur };
}
