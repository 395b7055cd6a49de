// First Ctrl-C / SIGTERM: abort the run so checks stop and cleanup runs.
// Second Ctrl-C: give up on cleanup and exit now.
export function interruptController(onFirst: (signal: string) => void): { signal: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      ctl.abort(new Error(`interrupted by ${sig}`));
      onFirst(sig);
    } else {
      process.stderr.write(`\n${sig} again: exiting without finishing cleanup (run \`kconform clean\` later)\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ctl.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
