import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepKubeconfigs, notAKubeconfig } from './kubeconfig-files.ts';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]\nusers: [{name: u, user: {token: t0ken}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n';

describe('which files of a grading folder are kubeconfigs', () => {
  it.each([
    ['# Class of 2026\nHand in by Friday.', /not a map/],
    ['name: lab1\nchecks: []\n', /no clusters/],
    ['apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n', /kind is "Pod", expected Config/],
    ['clusters: [\n', /not YAML or JSON/],
    ['clusters: [{name: c, cluster: {server: x}}]\n', /no contexts/],
  ])('refuses %j', (text, why) => {
    expect(notAKubeconfig(text)).toMatch(why);
  });

  it('accepts YAML and JSON kubeconfigs', () => {
    expect(notAKubeconfig(KUBECONFIG)).toBeUndefined();
    expect(notAKubeconfig(JSON.stringify({ clusters: [{ name: 'c' }], contexts: [{ name: 'x' }] }))).toBeUndefined();
  });

  it('splits a folder into students and skipped files, never quoting contents', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-kcf-'));
    await writeFile(path.join(dir, 'alice.yaml'), KUBECONFIG);
    await writeFile(path.join(dir, 'README.md'), 'token: s3cret\n# notes');
    await writeFile(path.join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    await writeFile(path.join(dir, 'big.yaml'), 'x'.repeat(1024 * 1024 + 1));
    const r = await keepKubeconfigs(['alice.yaml', 'README.md', 'photo.png', 'big.yaml', 'gone.yaml'].map((f) => ({ student: f.split('.')[0]!, file: path.join(dir, f) })));
    expect(r.students.map((s) => s.student)).toEqual(['alice']);
    expect(r.skipped.map((s) => [path.basename(s.file), s.reason])).toEqual([
      ['README.md', 'not a kubeconfig: no clusters'],
      ['photo.png', 'a binary file'],
      ['big.yaml', 'larger than 1024 KiB: not a kubeconfig'],
      ['gone.yaml', 'cannot read: ENOENT'],
    ]);
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });
});
