// Bounds on every suite and manifest file, checked before the expensive work: the
// yaml package takes tens of microseconds per node and some of its checks grow with
// the square of a map's size, so a hostile file must be stopped by a cheap scan of
// the text first (prescanYaml), then by an exact walk of the parsed tree (the
// walk in yaml-source.ts) before anything converts or validates it.

export const BOUNDS = {
  /** Bytes of a suite or manifest file. */
  fileBytes: 2 * 1024 * 1024,
  /** YAML nodes (values, keys, list items) in one file, as the pre-parse scan counts them. */
  nodes: 20_000,
  /** Aliases (`*name`) in one file; suites use a handful (`<<: *defaults`). */
  aliases: 100,
  /** Nodes a document may have once its aliases are expanded. */
  expandedNodes: 50_000,
  /** Levels of nesting (maps and lists inside each other). */
  depth: 64,
  /** Keys of one map. */
  keys: 1_000,
  /** Characters of one string (an inline fixture is one string). */
  stringChars: 256 * 1024,
} as const;

/** The scan over-counts nesting a little (a key and its value); the exact walk says the real depth. */
const SCAN_DEPTH = 2 * BOUNDS.depth;

export interface BoundHit {
  /** Offset in the text where the bound was crossed. */
  offset: number;
  message: string;
}

export function tooManyNodes(): string {
  return `expected at most ${BOUNDS.nodes} YAML values in a file, got value ${BOUNDS.nodes + 1} here (a bound that keeps validation fast; split the file)`;
}
export function tooManyAliases(): string {
  return `expected at most ${BOUNDS.aliases} aliases (*name) in a file, got alias ${BOUNDS.aliases + 1} here`;
}
export function tooDeep(depth: number | string): string {
  return `expected nesting at most ${BOUNDS.depth} levels deep, got ${depth} levels here`;
}

/**
 * A linear scan of YAML text that over-approximates node count, alias count and
 * nesting depth without building anything. It knows comments, quotes, flow
 * collections and block scalars (whose text is skipped), which is enough to count
 * structure; the parsed tree is checked exactly afterwards.
 */
export function prescanYaml(text: string): BoundHit | undefined {
  const n = text.length;
  let nodes = 0;
  let aliases = 0;
  let i = 0;
  /** Indentation of the open block collections, innermost last. */
  const indents: number[] = [];
  /** A block scalar's content: lines indented more than this belong to it. */
  let blockScalarIndent = -1;
  let flow = 0;
  let quote = 0; // 0, or the char code of the open quote
  while (i < n) {
    // At the start of a line.
    let indent = 0;
    while (i + indent < n && text.charCodeAt(i + indent) === 32) indent++;
    const first = text.charCodeAt(i + indent);
    const blank = i + indent >= n || first === 10 || first === 13 || first === 35; // empty or a comment
    if (blockScalarIndent >= 0) {
      if (blank || indent > blockScalarIndent) {
        i = lineEnd(text, i) + 1;
        continue;
      }
      blockScalarIndent = -1;
    }
    if (quote === 0 && flow === 0 && !blank) {
      if (text.startsWith('---', i) || text.startsWith('...', i)) indents.length = 0;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      if (indents.length > SCAN_DEPTH) return { offset: i + indent, message: tooDeep(`over ${SCAN_DEPTH}`) };
      if (++nodes > BOUNDS.nodes) return { offset: i + indent, message: tooManyNodes() };
    }
    let j = i + indent;
    let compact = 0; // `- - x`: block collections opened on this line
    let tokenStart = true;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 10) break;
      if (quote !== 0) {
        if (c === 92 && quote === 34) j++; // \" inside "..."
        else if (c === quote) {
          if (quote === 39 && text.charCodeAt(j + 1) === 39) j++; // '' inside '...'
          else quote = 0;
        }
        continue;
      }
      if (c === 32 || c === 9) {
        tokenStart = true;
        continue;
      }
      if (c === 35 && tokenStart) break; // comment
      const next = text.charCodeAt(j + 1);
      const endsToken = j + 1 >= n || next === 32 || next === 10 || next === 13 || next === 9;
      if (tokenStart && (c === 34 || c === 39)) {
        quote = c;
        tokenStart = false;
        continue;
      }
      if (tokenStart && c === 42) {
        if (++aliases > BOUNDS.aliases) return { offset: j, message: tooManyAliases() };
      }
      if (tokenStart && (c === 91 || c === 123)) {
        flow++;
        nodes++;
        const depth = indents.length + compact + flow;
        if (depth > SCAN_DEPTH) return { offset: j, message: tooDeep(`over ${SCAN_DEPTH}`) };
        if (nodes > BOUNDS.nodes) return { offset: j, message: tooManyNodes() };
        continue;
      }
      if (flow > 0 && (c === 93 || c === 125)) {
        flow--;
        tokenStart = false;
        continue;
      }
      if (flow > 0 && c === 44) {
        if (++nodes > BOUNDS.nodes) return { offset: j, message: tooManyNodes() };
        tokenStart = true;
        continue;
      }
      if ((c === 45 || c === 63) && tokenStart && endsToken && flow === 0) {
        compact++;
        nodes++;
        const depth = indents.length + compact;
        if (depth > SCAN_DEPTH) return { offset: j, message: tooDeep(`over ${SCAN_DEPTH}`) };
        if (nodes > BOUNDS.nodes) return { offset: j, message: tooManyNodes() };
        continue;
      }
      if (c === 58 && (endsToken || flow > 0)) {
        if (flow === 0) compact++;
        if (++nodes > BOUNDS.nodes) return { offset: j, message: tooManyNodes() };
        tokenStart = true;
        continue;
      }
      if (tokenStart && (c === 124 || c === 62) && flow === 0 && isBlockScalarHeader(text, j + 1)) {
        blockScalarIndent = indent;
        break;
      }
      tokenStart = false;
    }
    i = lineEnd(text, j) + 1;
  }
  return undefined;
}

function lineEnd(text: string, from: number): number {
  const e = text.indexOf('\n', from);
  return e < 0 ? text.length : e;
}

/** `|`, `>-`, `|2+` ... followed by the end of the line or a comment. */
function isBlockScalarHeader(text: string, from: number): boolean {
  const m = /^[-+0-9]{0,3}[ \t]*(#[^\n]*)?\r?(\n|$)/.exec(text.slice(from, from + 80));
  return m !== null;
}
