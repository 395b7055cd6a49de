import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { judgeSharing, parseContainerView, readerScript, writerScript } from './pod-sharing.ts';

const names = { writer: 'web', reader: 'sidecar' };
const view = (text: string[]) => parseContainerView(text.join('\n'));
const writer = view(['@@kc netns net:[4026532301]', '@@kc mntns mnt:[4026532299]', '@@kc addr eth0 inet 10.244.1.7/24', '@@kc wrote ok']);
const reader = (extra: string[], ns = 'net:[4026532301]') =>
  view([`@@kc netns ${ns}`, '@@kc mntns mnt:[4026532305]', '@@kc addr eth0 inet 10.244.1.7/24', ...extra]);
const judge = (r: ReturnType<typeof reader>) => judgeSharing({ podIP: '10.244.1.7', podIPs: ['10.244.1.7'], writer, reader: r, note: 'kconform-n1-note', echo: 'kconform-n1-lo', names });

describe('parseContainerView', () => {
  it('reads namespaces, addresses without prefix, the note, the private file and the localhost answer', () => {
    const r = reader(['@@kc note kconform-n1-note', '@@kc private absent', '@@kc localhost kconform-n1-lo']);
    expect(r).toEqual({ netns: 'net:[4026532301]', mntns: 'mnt:[4026532305]', addresses: ['10.244.1.7'], note: 'kconform-n1-note', privateSeen: false, localhost: 'kconform-n1-lo' });
    expect(writer.wrote).toBe(true);
  });
});

describe('judgeSharing', () => {
  it('passes when both containers share the netns and the volume, but not /tmp', () => {
    const v = judge(reader(['@@kc note kconform-n1-note', '@@kc private absent', '@@kc localhost kconform-n1-lo']));
    expect(v.checks.filter((c) => !c.passed)).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('names each broken promise: another netns, a note from an earlier run, localhost refused, a shared /tmp', () => {
    const v = judge(reader(['@@kc note kconform-OLD-note', '@@kc private seen', '@@kc localhost curl failed: exit 7'], 'net:[4026532999]'));
    expect(v.ok).toBe(false);
    expect(v.checks.filter((c) => !c.passed).map((c) => c.detail)).toEqual([
      'web in net:[4026532301], sidecar in net:[4026532999]',
      'localhost answered "curl failed: exit 7", expected "kconform-n1-lo"',
      'sidecar read "kconform-OLD-note" in /shared, expected "kconform-n1-note"',
      'sidecar sees /tmp/kconform-private of web (mount namespaces mnt:[4026532299] / mnt:[4026532305])',
    ]);
  });
});

describe('the scripts, run by sh here', () => {
  it('produce lines the parser reads (no shared dir here, so the note is an error text)', async () => {
    const { stdout } = await promisify(execFile)('sh', ['-c', readerScript('kconform-x.txt', 9, '/echo?msg=a')]);
    const v = parseContainerView(stdout);
    expect(v.netns).toMatch(/^net:\[\d+\]$/);
    expect(v.note).toMatch(/No such file/);
    expect(v.privateSeen).toBeTypeOf('boolean');
    expect(v.localhost).toMatch(/curl failed|^$|Connection refused/);
  });

  it('refuse unsafe names', () => {
    expect(() => writerScript('a;rm', 'x')).toThrow(/unsafe/);
    expect(() => readerScript('a', 80, "/x'; rm")).toThrow(/unsafe/);
  });
});
