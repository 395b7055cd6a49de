// Reads a suite or manifest file as UTF-8 text, refusing before any parsing what
// is not one: something other than a regular file, a file over the size bound,
// UTF-16/32, NUL bytes and invalid UTF-8 (Latin-1), each with the position.
// A UTF-8 byte order mark is dropped so columns on line 1 count from the text.
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { BOUNDS } from './input-bounds.ts';

export interface TextProblem {
  line: number;
  column: number;
  message: string;
}

export type TextRead = { text: string } | { problem: TextProblem };

export async function readTextFile(file: string, maxBytes: number = BOUNDS.fileBytes): Promise<TextRead> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: { line: 0, column: 0, message: 'expected a regular file, got a device, pipe or socket' } };
    // Read one byte past the bound (the size may change under us; stat is only a hint).
    const want = Math.min(info.size, maxBytes) + 1;
    const buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(buf, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const bytes = buf.subarray(0, got);
    if (bytes.length > maxBytes) {
      const at = positionOfByte(bytes, maxBytes);
      const size = Math.max(info.size, bytes.length);
      return { problem: { ...at, message: `expected a file of at most ${maxBytes} bytes (${maxBytes / 1024 / 1024} MiB), got ${size} bytes; the bound is crossed here` } };
    }
    return decodeText(bytes);
  } finally {
    await handle.close();
  }
}

/** Bytes -> text, or the first encoding problem with its line and column. */
export function decodeText(bytes: Uint8Array): TextRead {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problem: { line: 1, column: 1, message: 'expected UTF-8 text, got UTF-16 (a byte order mark FF FE or FE FF); save the file as UTF-8' } };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { problem: { ...positionOfByte(bytes, nul), message: 'expected UTF-8 text, got a NUL byte here (is the file UTF-16 or binary?)' } };
  }
  const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
    return { problem: { ...positionOfByte(bytes, bad), message: `expected UTF-8 text, got the byte 0x${hex} here, which is not UTF-8 (Latin-1? save the file as UTF-8)` } };
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.length - bom).toString('utf8') };
}

/** 1-based line and column (in characters, after a BOM) of byte `offset`. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) lineStart = 3;
  // Columns count characters: every byte that does not continue a UTF-8 sequence.
  let column = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) column++;
  return { line, column };
}

/** Offset of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > n) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong forms and surrogates.
    const b1 = bytes[i + 1]!;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    i += len;
  }
  return -1;
}

/** Why a file could not be opened, in words (the path itself is named by the caller). */
export function unreadable(e: NodeJS.ErrnoException, what: string): string {
  switch (e.code) {
    case 'ENOENT':
      return `expected ${what}, got nothing at this path`;
    case 'ELOOP':
      return `expected ${what}, got a symbolic link loop (a link that points back at itself)`;
    case 'EISDIR':
      return `expected ${what}, got a folder`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read the file: permission denied`;
    default:
      return `cannot read the file (${e.code ?? 'error'})`;
  }
}
