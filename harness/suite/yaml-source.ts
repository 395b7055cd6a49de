// Parses YAML text into documents while keeping positions, and turns the yaml
// package's syntax errors into short sentences with a line and column.
import { LineCounter, isScalar, parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import type { Position } from './positions.ts';

export interface ParsedYaml {
  /** Non-empty documents only (a stray `---` at the end is not a document). */
  docs: Document[];
  lineCounter: LineCounter;
  /** Syntax problems; when any exist, the documents should not be trusted. */
  problems: { position: Position; message: string }[];
}

export function parseYaml(source: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // merge: `<<: *defaults` lets a suite share settings between checks.
  const parsed = parseAllDocuments(source, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const all: Document[] = Array.isArray(parsed) ? parsed : [];
  const problems: ParsedYaml['problems'] = [];
  const seenLines = new Set<number>();
  const add = (offset: number, message: string): void => {
    const { line, col } = lineCounter.linePos(offset);
    // One parse mistake often yields several errors on the same line; the first says it best.
    if (seenLines.has(line)) return;
    seenLines.add(line);
    problems.push({ position: { line, column: col }, message });
  };
  for (const doc of all) {
    for (const e of doc.errors) add(e.pos[0], syntaxMessage(e.code, e.message, source, e.pos[0]));
    visit(doc, {
      Alias(_, alias) {
        if (alias.resolve(doc) === undefined) add(alias.range?.[0] ?? 0, `unknown alias '*${alias.source}'; expected an anchor &${alias.source} defined before it`);
      },
    });
  }
  return { docs: all.filter((d) => !isEmptyDocument(d)), lineCounter, problems };
}

/** Plain data of a document; throws only on alias abuse (e.g. a "billion laughs" document). */
export function toData(doc: Document): { data: unknown } | { error: string } {
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (e) {
    return { error: `invalid YAML: ${lowerFirst(e instanceof Error ? e.message : String(e))}` };
  }
}

function isEmptyDocument(doc: Document): boolean {
  const c = doc.contents;
  if (c === null) return true;
  return isScalar(c) && c.value === null && !!c.range && c.range[0] === c.range[1];
}

function syntaxMessage(code: string, message: string, source: string, offset: number): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'tab used for indentation; YAML indents with spaces only';
    case 'DUPLICATE_KEY':
      return `duplicate key '${keyAt(source, offset)}'; a key may appear only once in a map`;
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
