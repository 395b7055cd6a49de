// Maps a path in the parsed data (['checks', 2, 'timeout']) back to a line and
// column in the YAML source, using the node ranges the yaml package keeps.
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/**
 * Where to point for a problem at `path`: the value node when it exists, the key
 * when `at` is 'key', and the nearest enclosing node that exists otherwise (a
 * missing required key points at the mapping that lacks it).
 */
export function positionOf(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], at: 'value' | 'key' = 'value'): Position {
  const offset = offsetOf(doc, path, at);
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function offsetOf(doc: Document, path: readonly PropertyKey[], at: 'value' | 'key'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return offset;
      if (last && at === 'key') return rangeStart(pair.key) ?? offset;
      // A key with no value (`timeout:`) has no value node: point at its key.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) return offset;
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/**
 * Where the text of the scalar at `path` starts, for problems inside that text
 * (an inline fixture). A block scalar (`|`) starts on the line after its header,
 * and every line of it is indented alike; a quoted scalar starts after its quote.
 */
export function scalarTextStart(doc: Document, lineCounter: LineCounter, source: string, path: readonly PropertyKey[]): { line: number; column: number; indent: number } {
  const node = doc.getIn(path, true);
  const start = isScalar(node) && node.range ? node.range[0] : offsetOf(doc, path, 'value');
  const { line, col } = lineCounter.linePos(start);
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
    const body = source.slice(start, node.range?.[1]).split('\n').slice(1);
    const indent = /^ */.exec(body.find((l) => l.trim() !== '') ?? '')?.[0].length ?? 0;
    return { line: line + 1, column: indent + 1, indent };
  }
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  return { line, column: col + (quoted ? 1 : 0), indent: col - 1 };
}
