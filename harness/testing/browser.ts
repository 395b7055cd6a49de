// What the HTML report's browser test needs: Debian's Chromium at
// /usr/bin/chromium (never a downloaded browser). `npm test` installs it where
// it can (root and apt-get, as setup-host.sh installs Docker), so `npm test`
// and CI test the same things; elsewhere it says why not and how to enable it.
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { findOnPath, INSTALL_STEP } from '../programs.ts';

export const CHROMIUM = '/usr/bin/chromium';

export type BrowserStatus = { ok: true; installed: boolean } | { ok: false; reason: string; enable: string };

export async function provideChromium(log: (line: string) => void, o: { chromium?: string; isRoot?: boolean; aptGet?: string | undefined } = {}): Promise<BrowserStatus> {
  const chromium = o.chromium ?? CHROMIUM;
  if (existsSync(chromium)) return { ok: true, installed: false };
  const enable = INSTALL_STEP.chromium;
  const isRoot = o.isRoot ?? process.getuid?.() === 0;
  const aptGet = 'aptGet' in o ? o.aptGet : findOnPath('apt-get');
  if (!aptGet) return { ok: false, reason: `${chromium} is missing and this machine has no apt-get`, enable };
  if (!isRoot) return { ok: false, reason: `${chromium} is missing and installing it needs root`, enable: `sudo ${enable}` };
  log(`installing Debian's chromium for the HTML report's browser test (apt-get, about a minute)`);
  const t0 = Date.now();
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await execa(aptGet, ['update', '-qq'], { reject: false, all: true, env });
  const install = update.exitCode === 0 ? await execa(aptGet, ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { reject: false, all: true, env }) : update;
  if (install.exitCode !== 0 || !existsSync(chromium)) {
    const said = String(install.all ?? '').trim().split('\n').filter(Boolean).pop() ?? `exit ${install.exitCode}`;
    return { ok: false, reason: `apt-get could not install chromium (${said})`, enable };
  }
  log(`chromium installed in ${Math.round((Date.now() - t0) / 1000)}s`);
  return { ok: true, installed: true };
}
