// A reader that stops early (`kconform images status | head -2`) closes our stdout;
// the next write fails with EPIPE on an 'error' event nobody listens to, which would
// end the command as an internal error. Output nobody reads is not a failure: the
// command finishes its work quietly and exits with the code that work had.

let installed = false;

export function quietOnClosedOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  if (installed) return;
  installed = true;
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      // Any other write failure is unexpected: let the crash handler report it.
      throw err;
    });
  }
}
