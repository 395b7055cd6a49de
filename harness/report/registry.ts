// Builds the reporters a run asked for and joins them in one multiplexer. File
// reporters come from one table: adding HTML is one line there.
import type { Reporter } from './reporter.ts';
import { ReporterMultiplexer } from './multiplexer.ts';
import type { TextSink } from './multiplexer.ts';
import { ConsoleReporter, resolveConsoleMode } from './console.ts';
import type { ConsoleMode, ConsoleStream } from './console.ts';
import { EvidenceFilesReporter } from './evidence-files.ts';
import { JunitReporter } from './junit.ts';
import { JsonReporter } from './json.ts';
import { HtmlReporter } from './html.ts';

export type ReportFormat = 'junit' | 'json' | 'html';

/** Output path -> reporter. `undefined`: not built yet (the run goes on without it). */
const FILE_REPORTERS: Record<ReportFormat, ((outputFile: string) => Reporter) | undefined> = {
  junit: (outputFile) => new JunitReporter({ outputFile }),
  json: (outputFile) => new JsonReporter({ outputFile }),
  html: (outputFile) => new HtmlReporter({ outputFile }),
};

export interface ReporterOptions {
  junit?: string | false;
  json?: string | false;
  html?: string | false;
  /** 'fancy' falls back to 'plain' outside a terminal, under CI, or with NO_COLOR. */
  console: ConsoleMode;
  /** Failed checks' evidence files go here (reports/evidence); none when absent. */
  evidenceDir?: string;
  /** Injectable for tests; default process.stdout / process.stderr / process.env. */
  stdout?: ConsoleStream;
  stderr?: ConsoleStream & TextSink;
  env?: Record<string, string | undefined>;
}

export function createReporters(opts: ReporterOptions): ReporterMultiplexer {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const reporters: Reporter[] = [];
  if (opts.evidenceDir) reporters.push(new EvidenceFilesReporter({ dir: opts.evidenceDir }));
  for (const format of Object.keys(FILE_REPORTERS) as ReportFormat[]) {
    const path = opts[format];
    const make = FILE_REPORTERS[format];
    if (path && make) reporters.push(make(path));
  }
  const mode = resolveConsoleMode(opts.console, { isTTY: stdout.isTTY === true, env: opts.env ?? process.env });
  if (mode !== 'silent') {
    const files = [...reporters];
    reporters.push(
      new ConsoleReporter({
        mode,
        stdout,
        stderr,
        ...(opts.evidenceDir ? { evidenceDir: opts.evidenceDir } : {}),
        reportFiles: () => files.flatMap((r) => r.writtenFiles?.() ?? []),
      }),
    );
  }
  return new ReporterMultiplexer(reporters, { stderr });
}
