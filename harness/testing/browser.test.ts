import { mkdtempSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provideChromium } from './browser.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'kc-browser-'));

describe('provideChromium', () => {
  it('present: nothing to do', async () => {
    const d = tmp();
    const chromium = path.join(d, 'chromium');
    writeFileSync(chromium, '');
    expect(await provideChromium(() => {}, { chromium })).toEqual({ ok: true, installed: false });
  });

  it('not root: skipped with the reason and the one command that enables it', async () => {
    const r = await provideChromium(() => {}, { chromium: path.join(tmp(), 'none'), isRoot: false, aptGet: '/usr/bin/apt-get' });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/needs root/), enable: "sudo apt-get install -y chromium (Debian's; no browser is downloaded)" });
  });

  it('no apt-get: says so', async () => {
    const r = await provideChromium(() => {}, { chromium: path.join(tmp(), 'none'), isRoot: true, aptGet: undefined });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/no apt-get/) });
  });

  it('root with apt-get: installs it (a fake apt-get standing in for Debian\'s)', async () => {
    const d = tmp();
    const chromium = path.join(d, 'chromium');
    const apt = path.join(d, 'apt-get');
    writeFileSync(apt, `#!/bin/sh\necho "$@" >> ${d}/calls\n[ "$1" = install ] && touch ${chromium}\nexit 0\n`);
    chmodSync(apt, 0o755);
    const lines: string[] = [];
    const r = await provideChromium((l) => lines.push(l), { chromium, isRoot: true, aptGet: apt });
    expect(r).toEqual({ ok: true, installed: true });
    expect(existsSync(chromium)).toBe(true);
    expect(lines[0]).toMatch(/installing Debian's chromium/);
  });

  it('an apt-get that fails: the reason is its last line', async () => {
    const d = tmp();
    const apt = path.join(d, 'apt-get');
    writeFileSync(apt, '#!/bin/sh\n[ "$1" = install ] && { echo "E: Unable to locate package chromium" >&2; exit 100; }\nexit 0\n');
    chmodSync(apt, 0o755);
    const r = await provideChromium(() => {}, { chromium: path.join(d, 'chromium'), isRoot: true, aptGet: apt });
    expect(r).toMatchObject({ ok: false, reason: 'apt-get could not install chromium (E: Unable to locate package chromium)' });
  });
});
