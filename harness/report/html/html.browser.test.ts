// The HTML report in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is ever downloaded). It loads the page from a file://
// URL and checks what a person would see: the charts drawn and visible, the counts
// right, no console error, no request but the page itself, no script run. A
// screenshot lands in reports/html-screenshot.png.
//
//   npx vitest run --project unit harness/report/html
//
// Without Chromium the test is skipped with the reason printed; to run it, install
// Chromium with `apt-get update && apt-get install -y chromium`.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../html.ts';
import { richRun, TOKEN } from './testing/rich-run.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const REPORTS_DIR = fileURLToPath(new URL('../../../reports/', import.meta.url));
const SCREENSHOT = join(REPORTS_DIR, 'html-screenshot.png');

const skipReason = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is missing; install it with: apt-get update && apt-get install -y chromium`;
if (skipReason) console.warn(`skipping the HTML report browser test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('the HTML report in headless Chromium', () => {
  let workDir = '';
  let pageUrl = '';
  let context: BrowserContext | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'kconform-html-browser-'));
    const file = join(workDir, 'index.html');
    await writeFile(file, renderHtml(richRun()));
    pageUrl = pathToFileURL(file).href;
    // A fresh profile each run: nothing cached, nothing synced.
    context = await chromium.launchPersistentContext(join(workDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    context.on('request', (r) => requests.push(r.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(pageUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('shows the run, its summary and every check', async () => {
    expect(await page.title()).toMatch(/^kconform r7f3a: 4 of 9 checks passed, 3 failed, 1 error, 1 skipped/);
    await expect(page.locator('h1').innerText()).resolves.toBe('kconform report run r7f3a');
    expect(await page.locator('article.check').count()).toBe(9);
    const netRow = page.locator('table.suites tr[data-suite="net"] td');
    expect((await netRow.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['✗ failed', '7', '2', '3', '1', '1', '4/8', '53s']);
  });

  it('draws the matrix as a visible heatmap with the failing cell red', async () => {
    const heatmap = page.locator('#check-net-podNetwork > .evidence-list svg.heatmap');
    expect(await heatmap.isVisible()).toBe(true);
    const box = await heatmap.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(200);
    expect(await heatmap.locator('g.hm-cell').count()).toBe(18);
    const bad = heatmap.locator('g.hm-fail');
    expect(await bad.count()).toBe(1);
    expect(await bad.locator('text').textContent()).toBe('✗ SNAT');
    // The red is what the browser paints, not just an attribute.
    // (The project compiles without the DOM library: browser globals are reached through globalThis.)
    type Styles = { getComputedStyle(el: unknown): { fill: string } };
    const fill = await bad.locator('rect').evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).fill);
    expect(fill).toBe('rgb(207, 34, 46)');
  });

  it('draws the counts as bars in proportion, with the expected line', async () => {
    const chart = page.locator('#check-net-serviceDistribution svg.bars');
    expect(await chart.isVisible()).toBe(true);
    const bars = chart.locator('g.bar');
    expect(await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-count')))).toEqual(['152', '148', '0']);
    const heights = await chart.locator('g.bar rect').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().height));
    expect(heights[0]! / heights[1]!).toBeCloseTo(152 / 148, 1);
    expect(heights[2]).toBe(0);
    expect(await chart.locator('g.expected').isVisible()).toBe(true);
    expect(await page.locator('#check-net-serviceDistribution section.ev-counts figcaption').innerText()).toBe(
      'total 300 · expected 100 each · χ² = 152 · p = 9.1e-34',
    );
  });

  it('draws the rollout timeline as visible step lines', async () => {
    const chart = page.locator('#check-net-rollout svg.timeline');
    expect(await chart.isVisible()).toBe(true);
    const widths = await chart.locator('g.series path').evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().width));
    expect(widths).toHaveLength(5);
    for (const w of widths) expect(w).toBeGreaterThan(500);
    expect(await page.locator('#check-net-rollout .legend li').allInnerTexts()).toHaveLength(5);
  });

  it('runs nothing, loads nothing and logs no error', async () => {
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#check-net-dns-hostile .reason').innerText()).toContain('<script>window.__pwned = 1</script>');
    expect(await page.content()).not.toContain(TOKEN);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pageUrl]);
  });

  it('folds logs away until opened, and filters to failures without a script', async () => {
    const log = page.locator('#check-net-serviceDistribution details.log');
    expect(await log.locator('pre').isVisible()).toBe(false);
    await log.locator('summary').click();
    expect(await log.locator('pre').isVisible()).toBe(true);
    expect(await log.locator('pre').innerText()).toContain('Authorization: Bearer [redacted]');

    const passing = page.locator('#check-net-nodes');
    expect(await passing.isVisible()).toBe(true);
    await page.locator('#only-problems').check();
    expect(await passing.isVisible()).toBe(false);
    expect(await page.locator('#check-net-serviceDistribution').isVisible()).toBe(true);
    await page.locator('#only-problems').uncheck();
    await log.locator('summary').click();
    expect(await passing.isVisible()).toBe(true);
  });

  it('saves a screenshot of the whole page', async () => {
    await mkdir(REPORTS_DIR, { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pageUrl]);
  });
});
