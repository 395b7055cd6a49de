// A writable the console reporter can draw on in tests: it records every chunk.
export class FakeStream {
  readonly chunks: string[] = [];
  isTTY: boolean;
  columns: number | undefined;

  constructor(opts: { isTTY?: boolean; columns?: number } = {}) {
    this.isTTY = opts.isTTY ?? false;
    this.columns = opts.columns;
  }

  write(chunk: string | Uint8Array, encodingOrCb?: unknown, cb?: unknown): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }

  // The cursor calls ora makes on a terminal (as node's tty.WriteStream writes them).
  cursorTo(x: number): boolean {
    return this.write(`\u001b[${x + 1}G`);
  }

  moveCursor(dx: number, dy: number): boolean {
    if (dy < 0) this.write(`\u001b[${-dy}A`);
    if (dy > 0) this.write(`\u001b[${dy}B`);
    if (dx !== 0) this.write(`\u001b[${Math.abs(dx)}${dx > 0 ? 'C' : 'D'}`);
    return true;
  }

  clearLine(dir: number): boolean {
    return this.write(dir < 0 ? '\u001b[1K' : dir > 0 ? '\u001b[0K' : '\u001b[2K');
  }

  get text(): string {
    return this.chunks.join('');
  }

  /** Complete lines written so far. */
  get lines(): string[] {
    return this.text.split('\n').slice(0, -1);
  }
}
