import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { HtmlReporter, renderHtml } from '../html.ts';
import { createReporters } from '../registry.ts';
import { beginInfo } from '../testing/sample-run.ts';
import { richRun, TOKEN } from './testing/rich-run.ts';

describe('HtmlReporter', () => {
  it('keeps a page of what finished after every check, then writes the final page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-html-'));
    const file = join(dir, 'reports', 'index.html');
    const run = richRun();
    const reporter = new HtmlReporter({ outputFile: file });
    reporter.onRunBegin(beginInfo(run));
    reporter.onSuiteBegin('net', 'kconform-net-r7f3a');
    const [first, second] = run.suites[0]!.checks;
    await reporter.onCheckEnd(first!);
    await reporter.onCheckEnd(second!);

    // As if the process died here: the page shows the two finished checks, marked
    // interrupted, and every other planned check as skipped.
    const partial = parse(await readFile(file, 'utf8'));
    expect(partial.querySelector('.banner.interrupted')).not.toBeNull();
    const cards = partial.querySelectorAll('article.check');
    expect(cards.slice(0, 2).map((c) => c.getAttribute('data-check'))).toEqual(['net/nodes', 'net/podNetwork']);
    expect(cards.map((c) => c.getAttribute('data-check')).sort()).toEqual(run.suites.flatMap((s) => s.checks.map((c) => c.id)).sort());
    expect(cards.slice(2).every((c) => c.textContent.includes('interrupted: the run stopped before this check started'))).toBe(true);
    expect(partial.querySelector('#check-net-podNetwork svg.heatmap')).not.toBeNull();
    expect(reporter.writtenFiles()).toEqual([file]);

    await reporter.onRunEnd(run);
    const final = await readFile(file, 'utf8');
    expect(final).toBe(renderHtml(run));
    expect(final).not.toContain(TOKEN);
    expect(parse(final).querySelector('.banner.interrupted')).toBeNull();
    expect(parse(final).querySelectorAll('article.check')).toHaveLength(9);
  });

  it('is what the registry builds for `html`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kconform-html-'));
    const file = join(dir, 'index.html');
    const reporters = createReporters({ html: file, console: 'silent' });
    expect(reporters.reporters.map((r) => r.name)).toEqual(['html']);
    const run = richRun();
    reporters.onRunBegin(beginInfo(run));
    await reporters.onRunEnd(run);
    expect(await readFile(file, 'utf8')).toBe(renderHtml(run));
  });
});
