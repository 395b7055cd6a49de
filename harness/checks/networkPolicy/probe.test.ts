import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput, probeScript, type ProbeTarget } from './probe.ts';

const targets: ProbeTarget[] = [
  { id: 't0', target: 'y/b:80/TCP', host: '10.244.1.5', port: 80, name: 'b', protocol: 'tcp' },
  { id: 't1', target: 'y/b:80/UDP', host: '10.244.1.5', port: 80, name: 'b', protocol: 'udp' },
  { id: 't2', target: 'dns', protocol: 'dns' },
];

describe('probe script', () => {
  it('runs every probe in the background, bounded by the timeout', () => {
    const s = probeScript(targets, 1);
    expect(s).toContain('p t0 10.244.1.5 80 b &');
    expect(s).toContain('u t1 10.244.1.5 80 b &');
    expect(s).toContain('d t2 &');
    expect(s).toContain('nc -w 1 ');
    expect(s.trimEnd().endsWith('wait')).toBe(true);
  });

  it('refuses an address that is not ip:port (no shell injection)', () => {
    expect(() => probeScript([{ id: 't0', target: 'x', host: '1.2.3.4;rm', port: 80, protocol: 'tcp' }], 1)).toThrow(/bad probe address/);
    expect(() => probeScript([{ id: 't0', target: 'x', host: '1.2.3.4', port: 70000, protocol: 'tcp' }], 1)).toThrow(/bad probe address/);
    expect(() => probeScript([{ id: 'x;', target: 'x', host: '1.2.3.4', port: 80, name: 'a', protocol: 'tcp' }], 1)).toThrow(/bad probe id/);
    expect(() => probeScript([{ id: 't0', target: 'x', host: '1.2.3.4', port: 80, name: 'a;b', protocol: 'tcp' }], 1)).toThrow(/bad answer name/);
  });

  it('reads marker lines; a target with no line is absent', () => {
    const out = parseProbeOutput('@@np t0 ok\nnoise\n@@np t1 fail REFUSED: read udp 10.244.2.3:4444->10.244.1.5:80\n', targets);
    expect(out.get('y/b:80/TCP')).toEqual({ verdict: 'allow', detail: '' });
    expect(out.get('y/b:80/UDP')?.verdict).toBe('deny');
    expect(out.get('y/b:80/UDP')?.detail).toMatch(/^REFUSED/);
    expect(out.has('dns')).toBe(false);
  });

  it('counts a flow as allowed only when the server\'s own answer comes back', async () => {
    // a fake nc on PATH that answers with a stranger's name for the TCP probe and nothing for UDP
    const bin = await mkdtemp(path.join(os.tmpdir(), 'kc-np-nc-'));
    try {
      await writeFile(path.join(bin, 'nc'), '#!/bin/sh\ncat >/dev/null; case "$*" in *-u*) exit 0 ;; *) printf stranger ;; esac\n', { mode: 0o755 });
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', probeScript(targets.slice(0, 2), 1)], { env: { PATH: `${bin}:/usr/bin:/bin` } });
      const out = parseProbeOutput(stdout, targets);
      expect(out.get('y/b:80/TCP')).toEqual({ verdict: 'deny', detail: 'stranger' });
      expect(out.get('y/b:80/UDP')).toEqual({ verdict: 'deny', detail: 'no answer' });
      await writeFile(path.join(bin, 'nc'), '#!/bin/sh\ncat >/dev/null; printf b\n', { mode: 0o755 });
      const ok = parseProbeOutput((await promisify(execFile)('/bin/sh', ['-c', probeScript(targets.slice(0, 2), 1)], { env: { PATH: `${bin}:/usr/bin:/bin` } })).stdout, targets);
      expect([...ok.values()].map((r) => r.verdict)).toEqual(['allow', 'allow']);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('is valid POSIX sh that reports a failing tool as a denial', async () => {
    // No agnhost here: the probes fail (command not found) and say so, each on its own line.
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', probeScript(targets, 1)], { env: { PATH: '/nonexistent' } });
    const out = parseProbeOutput(stdout, targets);
    expect([...out.values()].map((r) => r.verdict)).toEqual(['deny', 'deny', 'deny']);
  });
});
