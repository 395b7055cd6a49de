// reports/index.html: the run as one self-contained page for students and graders.
// The model is redacted before anything is drawn; the views in ./html/ escape every
// value (preact-render-to-string) and draw the charts as inline SVG, so the page
// needs no script, no font and no network to show everything.
import type { RunResult } from '../results/model.ts';
import { FileReporter } from './file-reporter.ts';
import { renderMarkup } from './html/markup.ts';
import { reportPage } from './html/page.ts';
import { redactDeep } from './redact.ts';

export function renderHtml(run: RunResult): string {
  return `<!doctype html>\n${renderMarkup(reportPage(redactDeep(run)))}\n`;
}

export class HtmlReporter extends FileReporter {
  constructor(opts: { outputFile: string }) {
    super({ name: 'html', outputFile: opts.outputFile, render: renderHtml });
  }
}
