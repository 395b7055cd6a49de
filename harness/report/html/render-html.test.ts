import { parse } from 'node-html-parser';
import type { HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../results/model.ts';
import type { Evidence, RunResult } from '../../results/model.ts';
import { renderHtml } from '../html.ts';
import { check, failEvidence, sampleRun } from '../testing/sample-run.ts';
import { CONTENT_SECURITY_POLICY } from './page.ts';
import { PAGE_LIMITS } from './limits.ts';
import { HOSTILE, PASSWORD, richRun, TOKEN } from './testing/rich-run.ts';

function dom(run: RunResult): HTMLElement {
  return parse(renderHtml(run));
}

function text(el: HTMLElement | null | undefined): string {
  return (el?.text ?? '').replace(/\s+/g, ' ').trim();
}

function cardOf(root: HTMLElement, checkId: string): HTMLElement {
  const card = root.querySelector(`article.check[data-check="${checkId}"]`);
  if (!card) throw new Error(`no card for ${checkId}`);
  return card;
}

describe('renderHtml: the page', () => {
  it('is one HTML document with a strict policy and nothing to fetch or run', () => {
    const page = renderHtml(richRun());
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    const root = parse(page);
    expect(root.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    expect(root.querySelectorAll('script, link, iframe, object, embed, img, video, audio, source')).toHaveLength(0);
    // Links only within the page; nothing loads from anywhere.
    const refs = root
      .querySelectorAll('*')
      .flatMap((el) => Object.entries(el.attributes))
      .filter(([name]) => /href|src|action|poster|data$/i.test(name))
      .map(([, value]) => value);
    expect(refs.length).toBeGreaterThan(3);
    expect(refs.filter((r) => !r.startsWith('#'))).toEqual([]);
    const styles = root.querySelectorAll('style');
    expect(styles).toHaveLength(1);
    expect(styles[0]?.text).not.toMatch(/url\(|@import|@font-face/);
  });

  it('has one h1, a Summary h2 and one h2 per suite, and unique ids', () => {
    const root = dom(richRun());
    expect(root.querySelectorAll('h1')).toHaveLength(1);
    expect(root.querySelectorAll('h2').map(text)).toEqual(['Summary', 'Suite net ✗ failed', 'Suite grading ✓ passed']);
    const ids = root.querySelectorAll('[id]').map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of root.querySelectorAll('a[href^="#"]')) expect(ids).toContain(a.getAttribute('href')?.slice(1));
  });

  it('heads the page with the run and the cluster', () => {
    const root = dom(sampleRun());
    const facts = Object.fromEntries(root.querySelectorAll('.facts .fact').map((f) => [text(f.querySelector('dt')), text(f.querySelector('dd'))]));
    expect(facts).toEqual({
      'Run id': 'r7f3a',
      Started: '2026-03-01 10:00:00 UTC',
      Duration: '1m12s',
      kconform: '0.1.0',
      Cluster: 'kconform-7f3a',
      Provider: 'kind',
      Kubernetes: 'v1.37.2',
      Nodes: '3',
      CNI: 'calico',
      CRI: 'docker',
      'Cluster UID': 'a1b2c3',
    });
    expect(text(root.querySelector('title'))).toBe('kconform r7f3a: 3 of 6 checks passed, 1 failed, 1 error, 1 skipped, 1 flaky · kconform-7f3a');
    expect(root.querySelector('.banner.interrupted')).toBeNull();
  });

  it('folds the cluster shape away as YAML when the provider gave one', () => {
    const run = sampleRun({ cluster: { ...sampleRun().cluster, shape: { podSubnet: '10.244.0.0/16', workers: 2, kubeconfigToken: 'abc.def' } } });
    const shape = dom(run).querySelector('.facts .shape details.cluster-shape');
    expect(text(shape?.querySelector('summary'))).toBe('cluster shape (3 lines)');
    expect(shape?.querySelector('pre')?.text).toBe('podSubnet: 10.244.0.0/16\nworkers: 2\nkubeconfigToken: "[redacted]"');
    expect(dom(sampleRun()).querySelector('.facts .shape')).toBeNull();
  });

  it('says plainly when the run was interrupted', () => {
    const root = dom(sampleRun({ interrupted: true }));
    expect(text(root.querySelector('.banner.interrupted'))).toMatch(/^⚠ Interrupted\. The run was stopped before every check ran/);
    expect(text(root.querySelector('title'))).toContain('(interrupted)');
  });

  it('renders a run with no checks yet', () => {
    const run = sampleRun({ suites: [], summary: summarize([]), cluster: { name: 'c', provider: 'kubeconfig' } });
    const root = dom(run);
    expect(text(root.querySelector('.summary .empty'))).toBe('No check has finished yet.');
    expect(root.querySelectorAll('article.check')).toHaveLength(0);
    expect(root.querySelector('#only-problems')).toBeNull();
    expect(text(root.querySelector('.verdict'))).toBe('– no checks finished');
    expect(root.querySelectorAll('.facts dt').map(text)).toEqual(['Run id', 'Started', 'Duration', 'kconform', 'Cluster', 'Provider']);
  });
});

describe('renderHtml: summary', () => {
  it('counts each suite and adds up the points', () => {
    const root = dom(richRun());
    const rows = root.querySelectorAll('table.suites tbody tr').map((tr) => tr.querySelectorAll('th, td').map(text));
    expect(rows).toEqual([
      ['net', '✗ failed', '7', '2', '3', '1', '1', '4/8', '53s'],
      ['grading', '✓ passed', '2', '2', '0', '0', '0', '3/3', '4.2s'],
    ]);
    const tiles = root.querySelectorAll('.tile').map((t) => `${text(t.querySelector('.tile-value'))} ${text(t.querySelector('.tile-label'))}`);
    expect(tiles).toEqual(['✓ 4 passed', '✗ 3 failed', '! 1 error', '– 1 skipped', '≈ 1 flaky', '★ 7/11 points']);
  });

  it('lists the failed and errored checks, and suite problems, as links to them', () => {
    const run = richRun();
    run.suites[1]!.errors.push('fixture apply failed: deployments.apps "web" is forbidden');
    const root = dom(run);
    const items = root.querySelectorAll('.attention li');
    expect(items.map((li) => li.querySelector('a')?.getAttribute('href'))).toEqual([
      '#suite-grading',
      '#check-net-podNetwork',
      '#check-net-serviceDistribution',
      '#check-net-dns',
      '#check-net-dns-hostile',
    ]);
    expect(text(items[0])).toBe('! error suite grading: fixture apply failed: deployments.apps "web" is forbidden');
    expect(text(root.querySelector('#suite-grading .suite-errors li'))).toContain('is forbidden');
  });

  it('leaves the points column out when no check carries points', () => {
    const suite = { ...sampleRun().suites[0]!, checks: [check('nodes')] };
    const root = dom(sampleRun({ suites: [suite], summary: summarize([suite]) }));
    expect(root.querySelectorAll('table.suites thead th').map(text)).not.toContain('Points');
    expect(root.querySelector('.tile.t-points')).toBeNull();
  });
});

describe('renderHtml: checks', () => {
  it('shows every check once with status, reason, duration, hint and points', () => {
    const run = sampleRun();
    const root = dom(run);
    const cards = root.querySelectorAll('article.check');
    expect(cards.map((c) => c.getAttribute('data-check'))).toEqual(run.suites[0]!.checks.map((c) => c.id));
    expect(cards.map((c) => c.getAttribute('data-status'))).toEqual(['pass', 'pass', 'fail', 'error', 'pass', 'skip']);
    const sd = cardOf(root, 'net/serviceDistribution');
    expect(text(sd.querySelector('.badge'))).toBe('✗ failed');
    expect(text(sd.querySelector('.reason'))).toBe('endpoint web-2 answered 0/300 (web-0 152, web-1 148)');
    expect(text(sd.querySelector('.hint'))).toBe('Hint: web-2 is Ready but not in the EndpointSlice: label mismatch?');
    expect(text(sd.querySelector('.check-meta .points'))).toBe('0/2 points');
    expect(text(sd.querySelector('.duration'))).toBe('4.1s');
    expect(sd.querySelectorAll('.assertions li').map(text)).toEqual([
      '✗ failed: every endpoint answered: web-2 answered 0 times 0 pts',
      '✗ failed: uniform',
    ]);
    expect(text(cardOf(root, 'net/eviction').querySelector('.badge'))).toBe('– skipped');
  });

  it('marks a flaky check and shows every attempt with its status, reason and evidence', () => {
    const root = dom(sampleRun());
    const card = cardOf(root, 'net/podNetwork');
    expect(text(card.querySelector('.check-meta .flaky'))).toBe('≈ flaky');
    const attempts = card.querySelectorAll('.attempts li.attempt');
    expect(attempts.map((a) => [text(a.querySelector('.badge')), text(a.querySelector('.attempt-reason'))])).toEqual([
      ['✗ failed', 'client-b -> server-b timed out'],
      ['✓ passed', '9/9 pod pairs'],
    ]);
    expect(attempts[0]?.querySelector('details.attempt-evidence svg.heatmap')).not.toBeNull();
    expect(attempts[0]?.querySelector('details.attempt-evidence h5')).not.toBeNull();
    expect(attempts[1]?.querySelector('details')).toBeNull();
  });

  it('draws every kind of evidence as its own element', () => {
    const root = dom(sampleRun());
    const card = cardOf(root, 'net/serviceDistribution');
    const kinds = card.querySelectorAll('.evidence-list > section.evidence').map((s) => s.classNames.split(' ').find((c) => c.startsWith('ev-')));
    expect(kinds).toEqual(failEvidence.map((e) => `ev-${e.kind}`));
    const ev = (kind: Evidence['kind']): HTMLElement => card.querySelector(`section.ev-${kind}`)!;
    expect(ev('matrix').querySelectorAll('svg.heatmap g.hm-cell')).toHaveLength(4);
    expect(text(ev('matrix').querySelector('.failing-cells li'))).toBe('client-b → server-b: timeout (no answer in 5s)');
    expect(ev('counts').querySelectorAll('svg.bars g.bar').map((b) => b.getAttribute('data-count'))).toEqual(['152', '148', '0']);
    expect(text(ev('counts').querySelector('figcaption'))).toBe('total 300 · expected 100 each · χ² = 151 · p = 1.2e-33');
    expect(ev('timeline').querySelectorAll('svg.timeline g.series')).toHaveLength(2);
    expect(ev('timeline').querySelectorAll('.legend li').map(text)).toEqual(['ready 2–3', 'total 3–4']);
    expect(ev('table').querySelectorAll('tbody tr').map((tr) => tr.querySelectorAll('td').map(text))).toEqual([
      ['web-0', 'true', 'yes'],
      ['web-2', 'true', 'no'],
    ]);
    const event = ev('events').querySelector('tbody tr');
    expect(event?.classList.contains('warning')).toBe(true);
    expect(event?.querySelectorAll('td').map(text)).toEqual(['2026-03-01T10:00:01Z', '⚠ Warning', 'Unhealthy', 'Pod/web-2', '3', 'Readiness probe failed']);
    const log = ev('logs').querySelector('details.log');
    expect(log?.getAttribute('open')).toBeUndefined();
    expect(text(log?.querySelector('summary'))).toBe('2 lines');
    expect(log?.querySelector('pre')?.text).toBe('line 1\nline 2');
    expect(text(ev('logs').querySelector('.ev-sub'))).toBe('pod web-2, container netexec');
    expect(ev('object').querySelector('details.object pre')?.text).toBe('spec:\n  selector:\n    app: web\n  ports:\n    - port: 80');
    expect(ev('text').querySelector('pre.text')?.text).toBe('web-2 labels: app=web2');
  });

  it('keeps the tail of a long log and the head of a long table, saying so', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n');
    const rows = Array.from({ length: 600 }, (_, i) => [`r${i}`, i]);
    const c = check('big', {
      evidence: [
        { kind: 'logs', title: 'x', pod: 'p', container: 'c', text: lines },
        { kind: 'table', title: 't', columns: ['name', 'n'], rows },
      ],
    });
    const suite = { ...sampleRun().suites[0]!, checks: [c] };
    const root = dom(sampleRun({ suites: [suite], summary: summarize([suite]) }));
    const log = root.querySelector('details.log');
    expect(text(log?.querySelector('summary'))).toBe(`last ${PAGE_LIMITS.logLines} of 1,000 lines`);
    const shown = log?.querySelector('pre')?.text.split('\n') ?? [];
    expect(shown).toHaveLength(PAGE_LIMITS.logLines);
    expect(shown.at(-1)).toBe('line 1000');
    expect(root.querySelectorAll('section.ev-table tbody tr')).toHaveLength(PAGE_LIMITS.tableRows);
    expect(text(root.querySelector('section.ev-table .note'))).toBe('first 500 of 600 rows; all of them are in results.json');
  });
});

describe('renderHtml: safety', () => {
  it('shows markup from checks as text, never as elements', () => {
    const page = renderHtml(richRun());
    expect(page).not.toMatch(/<script|<img|<b>/i);
    const root = parse(page);
    expect(root.querySelectorAll('script, img, b')).toHaveLength(0);
    expect(root.querySelectorAll('*').flatMap((el) => Object.keys(el.attributes)).filter((a) => /^on/i.test(a))).toEqual([]);
    const card = cardOf(root, 'net/dns-hostile');
    expect(text(card.querySelector('.reason'))).toBe(`resolved ${HOSTILE}`);
    expect(text(card.querySelector('.hint'))).toBe('Hint: look at <b>CoreDNS</b>');
    expect(text(cardOf(root, 'net/serviceDistribution').querySelector('section.ev-logs pre'))).toContain('<script>window.__pwned = 1</script>');
  });

  it('keeps markup out of attributes and SVG text too', () => {
    const nasty = '"><script>x</script>';
    const c = check('m', {
      evidence: [
        { kind: 'matrix', title: nasty, rows: [nasty], cols: [nasty], cells: [[{ ok: false, label: nasty, detail: nasty }]] },
        { kind: 'counts', title: nasty, counts: { [nasty]: 1 } },
        { kind: 'timeline', title: nasty, series: [nasty], points: [{ t: 0, values: { [nasty]: 1 } }, { t: 1, values: { [nasty]: 2 } }] },
      ],
    });
    const suite = { ...sampleRun().suites[0]!, name: nasty, checks: [{ ...c, suite: nasty, id: `${nasty}/m` }] };
    const page = renderHtml(sampleRun({ suites: [suite], summary: summarize([suite]) }));
    expect(page).not.toContain('<script');
    const root = parse(page);
    expect(root.querySelector('g.hm-cell')?.getAttribute('data-row')).toBe(nasty);
    expect(root.querySelector('g.bar')?.getAttribute('data-key')).toBe(nasty);
  });

  it('never shows a credential: tokens, passwords and Secret data are redacted first', () => {
    const page = renderHtml(richRun());
    expect(page).not.toContain(TOKEN);
    expect(page).not.toContain(PASSWORD);
    expect(page).not.toContain('aHVudGVyMg==');
    const root = parse(page);
    const sd = cardOf(root, 'net/serviceDistribution');
    expect(sd.querySelector('section.ev-logs pre')?.text).toContain('Authorization: Bearer [redacted]');
    const secret = sd.querySelectorAll('section.ev-object pre').map((p) => p.text).find((t) => t.includes('kind: Secret'));
    expect(secret).toContain('password: "[redacted]"');
    expect(secret).toContain('dbPassword: "[redacted]"');
    expect(sd.querySelector('section.ev-text pre')?.text).toBe('user:\n  token: [redacted]\n  password: [redacted]');
  });

  it('does not change the run it was given', () => {
    const run = richRun();
    const before = structuredClone(run);
    renderHtml(run);
    expect(run).toEqual(before);
  });
});

describe('renderHtml: size and stability', () => {
  it('keeps a typical run small and renders the same bytes twice', () => {
    const run = richRun();
    const page = renderHtml(run);
    expect(Buffer.byteLength(page)).toBeLessThan(150_000);
    expect(renderHtml(run)).toBe(page);
  });

  it('stays a few hundred KB with a long rollout timeline and long logs', () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ t: i * 100, values: { ready: 3 - (i % 7 === 0 ? 1 : 0), total: 3 + (i % 11 === 0 ? 1 : 0), failed: 0 } }));
    const log = Array.from({ length: 20_000 }, (_, i) => `2026-03-01T10:00:00Z request ${i} ok`).join('\n');
    const c = check('rollout', {
      evidence: [
        { kind: 'timeline', title: 'pods', series: ['ready', 'total', 'failed'], points },
        { kind: 'logs', title: 'client', pod: 'client', container: 'c', text: log },
      ],
    });
    const suite = { ...sampleRun().suites[0]!, checks: [c] };
    const page = renderHtml(sampleRun({ suites: [suite], summary: summarize([suite]) }));
    expect(Buffer.byteLength(page)).toBeLessThan(400_000);
    expect(parse(page).querySelectorAll('svg.timeline g.series path')).toHaveLength(3);
  });
});
