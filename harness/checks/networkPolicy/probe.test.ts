import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput, probeScript, type ProbeTarget } from './probe.ts';

const targets: ProbeTarget[] = [
  { id: 't0', target: 'y/b:80/TCP', address: '10.244.1.5:80', protocol: 'tcp' },
  { id: 't1', target: 'y/b:80/UDP', address: '10.244.1.5:80', protocol: 'udp' },
  { id: 't2', target: 'dns', protocol: 'dns' },
];

describe('probe script', () => {
  it('runs every probe in the background, bounded by the timeout', () => {
    const s = probeScript(targets, 1);
    expect(s).toContain('p t0 tcp 10.244.1.5:80 &');
    expect(s).toContain('p t1 udp 10.244.1.5:80 &');
    expect(s).toContain('d t2 &');
    expect(s).toContain('--timeout=1s');
    expect(s.trimEnd().endsWith('wait')).toBe(true);
  });

  it('refuses an address that is not ip:port (no shell injection)', () => {
    expect(() => probeScript([{ id: 't0', target: 'x', address: '1.2.3.4:80; rm -rf /', protocol: 'tcp' }], 1)).toThrow(/bad probe address/);
    expect(() => probeScript([{ id: 'x;', target: 'x', address: '1.2.3.4:80', protocol: 'tcp' }], 1)).toThrow(/bad probe id/);
  });

  it('reads marker lines; a target with no line is absent', () => {
    const out = parseProbeOutput('@@np t0 ok\nnoise\n@@np t1 fail REFUSED: read udp 10.244.2.3:4444->10.244.1.5:80\n', targets);
    expect(out.get('y/b:80/TCP')).toEqual({ verdict: 'allow', detail: '' });
    expect(out.get('y/b:80/UDP')?.verdict).toBe('deny');
    expect(out.get('y/b:80/UDP')?.detail).toMatch(/^REFUSED/);
    expect(out.has('dns')).toBe(false);
  });

  it('is valid POSIX sh that reports a failing tool as a denial', async () => {
    // No agnhost here: the probes fail (command not found) and say so, each on its own line.
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', probeScript(targets, 1)], { env: { PATH: '/nonexistent' } });
    const out = parseProbeOutput(stdout, targets);
    expect([...out.values()].map((r) => r.verdict)).toEqual(['deny', 'deny', 'deny']);
  });
});
