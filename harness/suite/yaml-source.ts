// Parses YAML text into documents while keeping positions, and turns the yaml
// package's syntax errors into short sentences with a line and column. Hostile
// text is stopped first: a linear scan bounds size and shape before the parser
// runs, and an iterative walk of the tree checks the exact bounds (depth, keys,
// string length, aliases and what they expand to) before anything resolves or
// converts it.
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { BOUNDS, prescanYaml, tooDeep } from './input-bounds.ts';
import type { Position } from './positions.ts';

export interface ParsedYaml {
  /** Non-empty documents only (a stray `---` at the end is not a document). */
  docs: Document[];
  lineCounter: LineCounter;
  /** Syntax problems; when any exist, the documents should not be trusted. */
  problems: { position: Position; message: string }[];
}

export interface ParseOptions {
  /** False for files that are not the suite's own text: no key or alias name is quoted back. */
  quote?: boolean;
}

export function parseYaml(source: string, options: ParseOptions = {}): ParsedYaml {
  const quote = options.quote ?? true;
  const lineCounter = new LineCounter();
  const problems: ParsedYaml['problems'] = [];
  const hit = prescanYaml(source);
  if (hit) {
    const { line, col } = positionIn(source, hit.offset);
    return { docs: [], lineCounter, problems: [{ position: { line, column: col }, message: hit.message }] };
  }
  // merge: `<<: *defaults` lets a suite share settings between checks. Duplicate keys
  // are found by the walk below: the parser's own check is quadratic in a map's size.
  // Lines are counted here, not by the parser: after a token it could not place, the
  // parser stops reporting the newlines inside it and later positions drift (fuzzing found it).
  lineCounter.addNewLine(0);
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
  const parsed = parseAllDocuments(source, { prettyErrors: false, uniqueKeys: false, merge: true });
  const all: Document[] = Array.isArray(parsed) ? parsed : [];
  const seenLines = new Set<number>();
  const add = (offset: number, message: string): void => {
    const { line, col } = lineCounter.linePos(offset);
    // One parse mistake often yields several errors on the same line; the first says it best.
    if (seenLines.has(line)) return;
    seenLines.add(line);
    problems.push({ position: { line, column: col }, message });
  };
  for (const doc of all) {
    for (const e of doc.errors) add(e.pos[0], syntaxMessage(e.code, cleanParserMessage(e.message, quote), source, e.pos[0], quote));
    if (doc.errors.length === 0) for (const p of shapeProblems(doc, quote)) add(p.offset, p.message);
  }
  return { docs: all.filter((d) => !isEmptyDocument(d)), lineCounter, problems };
}

/** Plain data of a document; throws only on alias abuse (e.g. a "billion laughs" document). */
export function toData(doc: Document): { data: unknown } | { error: string } {
  try {
    return { data: doc.toJS({ maxAliasCount: BOUNDS.aliases }) as unknown };
  } catch (e) {
    return { error: `invalid YAML: ${lowerFirst(e instanceof Error ? e.message : String(e))}` };
  }
}

/**
 * The exact bounds and alias rules, by one iterative walk in document order (so an
 * anchor is known exactly when it was defined before its alias, without resolving
 * each alias against the whole document).
 */
function shapeProblems(doc: Document, quote: boolean): { offset: number; message: string }[] {
  const out: { offset: number; message: string }[] = [];
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  let aliases = 0;
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0 && out.length < 20) {
    const { node, depth } = stack.pop()!;
    if (node === null || node === undefined) continue;
    const at = (node as Node).range?.[0] ?? 0;
    if (isAlias(node)) {
      if (++aliases > BOUNDS.aliases) {
        out.push({ offset: at, message: `expected at most ${BOUNDS.aliases} aliases (*name) in a document, got alias ${BOUNDS.aliases + 1} here` });
        break;
      }
      const target = anchors.get(node.source);
      const name = quote ? ` '*${node.source}'; expected an anchor &${node.source}` : '; expected an anchor';
      if (target === undefined) out.push({ offset: at, message: `unknown alias${name} defined before it` });
      else targets.set(node, target);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.length > BOUNDS.stringChars) {
        out.push({ offset: at, message: `expected a string of at most ${BOUNDS.stringChars} characters, got ${node.value.length}` });
      }
      continue;
    }
    if (depth > BOUNDS.depth) {
      out.push({ offset: at, message: tooDeep(depth) });
      break;
    }
    const children: unknown[] = [];
    if (isMap(node)) {
      if (node.items.length > BOUNDS.keys) {
        out.push({ offset: node.items[BOUNDS.keys]?.key ? ((node.items[BOUNDS.keys]!.key as Node).range?.[0] ?? at) : at, message: `expected a map of at most ${BOUNDS.keys} keys, got ${node.items.length}` });
        continue;
      }
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k !== undefined && k !== '<<') {
          if (keys.has(k)) out.push({ offset: (pair.key as Node).range?.[0] ?? at, message: `duplicate key${quote ? ` '${shortKey(k)}'` : ''}; a key may appear only once in a map` });
          keys.add(k);
        }
        children.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      if (node.items.length > BOUNDS.nodes) {
        out.push({ offset: at, message: `expected a list of at most ${BOUNDS.nodes} items, got ${node.items.length}` });
        continue;
      }
      children.push(...node.items);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
  }
  if (out.length === 0 && targets.size > 0) {
    const size = expandedSize(doc.contents, targets, new Map());
    if (size > BOUNDS.expandedNodes) {
      const first = [...targets.keys()][0]!;
      out.push({ offset: first.range?.[0] ?? 0, message: `expected the aliases to expand to at most ${BOUNDS.expandedNodes} values, got more than that (an alias bomb?)` });
    }
  }
  return out;
}

/** Nodes of `node` with every alias replaced by its anchor's node; stops counting past the bound. Depth is bounded already. */
function expandedSize(node: unknown, targets: Map<Node, Node>, memo: Map<unknown, number>): number {
  const over = BOUNDS.expandedNodes + 1;
  if (node === null || node === undefined) return 0;
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, over); // an alias inside its own anchor counts as endless
  let size = 1;
  if (isAlias(node)) size = expandedSize(targets.get(node), targets, memo);
  else if (isMap(node)) for (const p of node.items) size += expandedSize(p.key, targets, memo) + expandedSize(p.value, targets, memo);
  else if (isSeq(node)) for (const item of node.items) size += expandedSize(item, targets, memo);
  size = Math.min(size, over);
  memo.set(node, size);
  return size;
}

/** Line and column of an offset without building a line table (the parser did not run). */
function positionIn(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

function shortKey(k: string): string {
  return k.length > 60 ? `${k.slice(0, 59)}…` : k;
}

function isEmptyDocument(doc: Document): boolean {
  const c = doc.contents;
  if (c === null) return true;
  return isScalar(c) && c.value === null && !!c.range && c.range[0] === c.range[1];
}

/**
 * The parser quotes the token it stumbled on, which may be a whole multi-line block
 * of the file: one line, quoted text cut short, and none at all for a file that is
 * not the suite's own text.
 */
function cleanParserMessage(message: string, quote: boolean): string {
  return message.replace(/"((?:[^"\\]|\\.)*)"/gs, (_m, inner: string) => {
    if (!quote) return '(text not shown)';
    const flat = inner.replace(/\n/g, '\\n');
    return `"${flat.length > 40 ? `${flat.slice(0, 39)}…` : flat}"`;
  }).split('\n')[0]!;
}

function syntaxMessage(code: string, message: string, source: string, offset: number, quote: boolean): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces only';
    case 'DUPLICATE_KEY':
      return quote ? `duplicate key '${keyAt(source, offset)}'; a key may appear only once in a map` : 'duplicate key; a key may appear only once in a map';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return `invalid YAML: ${lowerFirst(message)} (check the indentation and quotes on this line or the one before)`;
    default:
      return `invalid YAML: ${lowerFirst(message)}`;
  }
}

function keyAt(source: string, offset: number): string {
  const text = /^[^\n]*?(?=\s*:(\s|$))/.exec(source.slice(offset))?.[0] ?? '';
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
