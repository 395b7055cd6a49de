import { describe, expect, it } from 'vitest';
import { ReporterMultiplexer } from './multiplexer.ts';
import { ConsoleReporter } from './console.ts';
import type { Reporter } from './reporter.ts';
import { beginInfo, sampleRun } from './testing/sample-run.ts';
import { FakeStream } from './testing/fake-stream.ts';

function recorder(name: string, log: string[]): Reporter {
  return {
    name,
    onRunBegin: () => void log.push(`${name}:begin`),
    onCheckEnd: (r) => void log.push(`${name}:check:${r.name}`),
    onRunEnd: async () => {
      await new Promise((res) => setTimeout(res, 5));
      log.push(`${name}:end`);
    },
  };
}

describe('ReporterMultiplexer', () => {
  const run = sampleRun();
  const firstCheck = run.suites[0]!.checks[0]!;

  it('calls every reporter, in order, and awaits each onRunEnd', async () => {
    const log: string[] = [];
    const mux = new ReporterMultiplexer([recorder('a', log), recorder('b', log)], { stderr: new FakeStream() });
    mux.onRunBegin(beginInfo(run));
    mux.onCheckEnd(firstCheck);
    await mux.onRunEnd(run);
    expect(log).toEqual(['a:begin', 'b:begin', 'a:check:nodes', 'b:check:nodes', 'a:end', 'b:end']);
  });

  it('turns a throwing reporter into one error line through the console, and goes on', async () => {
    const log: string[] = [];
    const out = new FakeStream();
    const err = new FakeStream();
    const fallback = new FakeStream();
    const broken: Reporter = {
      name: 'broken',
      onCheckEnd: () => {
        throw new Error('disk on fire');
      },
      onRunEnd: () => Promise.reject(new Error('still on fire')),
    };
    const mux = new ReporterMultiplexer([broken, recorder('ok', log), new ConsoleReporter({ mode: 'plain', stdout: out, stderr: err })], {
      stderr: fallback,
    });
    mux.onRunBegin(beginInfo(run));
    expect(() => mux.onCheckEnd(firstCheck)).not.toThrow();
    await expect(mux.onRunEnd(run)).resolves.toBeUndefined();
    expect(log).toEqual(['ok:begin', 'ok:check:nodes', 'ok:end']);
    expect(err.lines).toEqual([
      'error: reporter broken failed in onCheckEnd: disk on fire',
      'error: reporter broken failed in onRunEnd: still on fire',
    ]);
    expect(fallback.text).toBe('');
    // the console still finished the run
    expect(out.lines.at(-2)).toMatch(/^6 checks: /);
  });

  it('catches a rejected promise from any hook, not only onRunEnd', async () => {
    const fallback = new FakeStream();
    const slowFail: Reporter = { name: 'slow', onCheckEnd: () => Promise.reject(new Error('late failure')) };
    const mux = new ReporterMultiplexer([slowFail], { stderr: fallback });
    mux.onCheckEnd(firstCheck);
    await mux.onRunEnd(run);
    expect(fallback.lines).toEqual(['kconform: error: reporter slow failed in onCheckEnd: late failure']);
  });

  it('writes to stderr itself when there is no console, or the console is the one failing', async () => {
    const fallback = new FakeStream();
    const failingConsole: Reporter = {
      name: 'console',
      printsToStdio: true,
      onRunBegin: () => {
        throw new Error('terminal gone');
      },
      onError: () => {
        throw new Error('cannot print either');
      },
    };
    const mux = new ReporterMultiplexer([failingConsole], { stderr: fallback });
    mux.onRunBegin(beginInfo(run));
    await mux.onRunEnd(run);
    expect(fallback.lines).toEqual(['kconform: error: reporter console failed in onRunBegin: terminal gone']);
  });

  it('waits for asynchronous work of earlier hooks before ending', async () => {
    const log: string[] = [];
    const slow: Reporter = {
      name: 'slow',
      onCheckEnd: async () => {
        await new Promise((res) => setTimeout(res, 20));
        log.push('check written');
      },
      onRunEnd: () => void log.push('end'),
    };
    const mux = new ReporterMultiplexer([slow], { stderr: new FakeStream() });
    mux.onCheckEnd(firstCheck);
    await mux.onRunEnd(run);
    expect(log).toEqual(['check written', 'end']);
  });

  it('ends file reporters before the console, so the console can list what they wrote', async () => {
    const log: string[] = [];
    const file: Reporter = {
      name: 'file',
      onRunEnd: async () => {
        await new Promise((res) => setTimeout(res, 10));
        log.push('file written');
      },
      writtenFiles: () => ['reports/x.xml'],
    };
    const terminal: Reporter = { name: 'term', printsToStdio: true, onRunEnd: () => void log.push(`console sees ${mux.writtenFiles().join(',')}`) };
    const mux = new ReporterMultiplexer([terminal, file], { stderr: new FakeStream() });
    await mux.onRunEnd(run);
    expect(log).toEqual(['file written', 'console sees reports/x.xml']);
    expect(mux.printsToStdio).toBe(true);
  });

  it('redacts credentials in reporter error messages', async () => {
    const fallback = new FakeStream();
    const leaky: Reporter = {
      name: 'leaky',
      onRunBegin: () => {
        throw new Error('POST https://admin:hunter2@api failed with Authorization: Bearer abc.def');
      },
    };
    const mux = new ReporterMultiplexer([leaky], { stderr: fallback });
    mux.onRunBegin(beginInfo(run));
    await mux.onRunEnd(run);
    expect(fallback.text).not.toContain('hunter2');
    expect(fallback.text).not.toContain('abc.def');
    expect(fallback.text).toContain('https://[redacted]@api');
  });
});
