// Hostile suites and fixtures (issue 17): every bound is exit-2 material with a
// position, the bound and the value; nothing from a file that is not a manifest is
// quoted back; links cannot reach outside the suite's folders.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOUNDS } from './input-bounds.ts';
import { SuiteError, loadSuiteFile, loadSuites } from './load.ts';
import { decodeText } from './read-text.ts';

let dir: string;
let fixturesDir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-hostile-'));
  fixturesDir = path.join(dir, 'fixtures');
  await mkdir(fixturesDir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, text: string | Buffer): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function problems(file: string): Promise<{ line: number; column: number; message: string; text: string }[]> {
  const e = await loadSuiteFile(file, { fixturesDir }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SuiteError);
  const err = e as SuiteError;
  return err.problems.map((p, i) => ({ line: p.line, column: p.column, message: p.message, text: err.format().split('\n')[i] ?? '' }));
}

const HEAD = 'name: hostile\nchecks:\n  - kind: nodes\n';

describe('YAML bounds before parsing', () => {
  it('stops a list of 40,000 aliases at the 101st, on its line', async () => {
    const file = await put('a.yaml', `- &a x\n${'- *a\n'.repeat(40_000)}`);
    const [p] = await problems(file);
    expect(p).toMatchObject({ line: BOUNDS.aliases + 2, column: 3 });
    expect(p!.message).toContain(`at most ${BOUNDS.aliases} aliases`);
  });

  it('stops a billion-laughs document by what its aliases expand to', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(', ')}]`);
    const file = await put('laughs.yaml', `${levels.join('\n')}\n`);
    const all = await problems(file);
    expect(all.map((p) => p.message).join('\n')).toMatch(/at most 100 aliases|expand to at most 50000/);
  });

  it('still names an unknown alias, without resolving every alias against the whole document', async () => {
    const file = await put('u.yaml', `${HEAD}description: *nope\n`);
    expect((await problems(file))[0]).toMatchObject({ line: 4, column: 14, message: "unknown alias '*nope'; expected an anchor &nope defined before it" });
  });

  it('stops 10,000 levels of nesting without a stack overflow', async () => {
    for (const text of [`${HEAD}vars:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, `${HEAD}vars:\n  x:\n${'  - '.repeat(10_000)}a\n`]) {
      const file = await put('deep.yaml', text);
      const [p] = await problems(file);
      expect(p!.message).toMatch(/^expected nesting at most 64 levels deep, got/);
      expect(p!.line).toBeGreaterThan(0);
    }
  });

  it('finds the exact depth when it is only a little over the bound', async () => {
    const n = BOUNDS.depth + 3;
    const file = await put('deep.yaml', `${HEAD}vars:\n  x: ${'['.repeat(n)}${']'.repeat(n)}\n`);
    const [p] = await problems(file);
    expect(p!.message).toMatch(/^expected nesting at most 64 levels deep, got 65 levels here$/);
  });

  it('a 20,000-key map is one short line (the value count stops it first); a 5,000-key map names the key bound', async () => {
    const keys = (n: number) => `${HEAD}extra:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${i}`).join('\n')}\n`;
    const big = await problems(await put('keys.yaml', keys(20_000)));
    expect(big).toHaveLength(1);
    expect(big[0]!.message).toMatch(/^expected at most 20000 YAML values in a file/);
    expect(big[0]!.text.length).toBeLessThan(200);
    const all = await problems(await put('keys.yaml', keys(5_000)));
    expect(all).toHaveLength(1);
    expect(all[0]!.message).toBe(`expected a map of at most ${BOUNDS.keys} keys, got 5000`);
    expect(all[0]!.line).toBe(5 + BOUNDS.keys);
    expect(all[0]!.text.length).toBeLessThan(200);
  });

  it('duplicate keys are still found (by the walk, not by the quadratic parser check)', async () => {
    const file = await put('dup.yaml', `${HEAD}name: again\n`);
    expect((await problems(file))[0]).toMatchObject({ line: 4, column: 1, message: "duplicate key 'name'; a key may appear only once in a map" });
  });

  it('a string over the bound names the bound and the length', async () => {
    const file = await put('long.yaml', `${HEAD}description: ${'x'.repeat(BOUNDS.stringChars + 1)}\n`);
    expect((await problems(file))[0]).toMatchObject({ line: 4, column: 14, message: `expected a string of at most ${BOUNDS.stringChars} characters, got ${BOUNDS.stringChars + 1}` });
  });

  it('a file over the size bound is refused before it is read whole', async () => {
    const file = await put('big.yaml', `${HEAD}description: |\n${'  0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n'.repeat(40_000)}`);
    const [p] = await problems(file);
    expect(p!.message).toMatch(new RegExp(`^expected a file of at most ${BOUNDS.fileBytes} bytes \\(2 MiB\\), got \\d+ bytes`));
    expect(p!.line).toBeGreaterThan(30_000);
  });

  it('a device or pipe is not read', async () => {
    const e = await loadSuites(['/dev/zero']).catch((err: unknown) => err as SuiteError);
    expect((e as SuiteError).problems[0]!.message).toBe('expected a regular file, got a device, pipe or socket');
  });
});

describe('encodings', () => {
  it('Latin-1 is refused at the byte, with line and column', async () => {
    const file = await put('latin1.yaml', Buffer.from(`${HEAD}description: caf\xe9\n`, 'latin1'));
    expect((await problems(file))[0]).toMatchObject({ line: 4, column: 17, message: 'expected UTF-8 text, got the byte 0xE9 here, which is not UTF-8 (Latin-1? save the file as UTF-8)' });
  });

  it('UTF-16 and NUL bytes are named, never printed', async () => {
    const utf16 = await put('u16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, 'utf16le')]));
    const [p] = await problems(utf16);
    expect(p).toMatchObject({ line: 1, column: 1 });
    expect(p!.message).toContain('UTF-16');
    const nul = await put('nul.yaml', `${HEAD}description: a\0b\n`);
    const [q] = await problems(nul);
    expect(q).toMatchObject({ line: 4, column: 15 });
    expect(q!.text).not.toContain('\0');
    const noBom = decodeText(Buffer.from('a\0', 'utf16le'));
    expect('problem' in noBom && noBom.problem.message).toContain('NUL byte');
  });

  it('after a UTF-8 byte order mark, columns on line 1 count from the text', async () => {
    const file = await put('bom.yaml', '\ufeffnmae: x\nchecks: []\n');
    const all = await problems(file);
    expect(all.find((p) => p.message.includes("unknown key 'nmae'"))).toMatchObject({ line: 1, column: 1 });
  });
});

describe('durations and numbers', () => {
  it.each([
    ['timeout: 0s', "expected a duration between 1s and 24h, got '0s'"],
    ['timeout: 0ms', "expected a duration between 1s and 24h, got '0ms'"],
    ['timeout: 600h', "expected a duration between 1s and 24h, got '600h'"],
    ['timeout: 99999999999999999999h', "expected a duration between 1s and 24h, got '99999999999999999999h'"],
  ])('%s', async (line, message) => {
    const file = await put('d.yaml', `${HEAD}${line}\n`);
    expect((await problems(file))[0]).toMatchObject({ line: 4, column: 10, message });
  });

  it('waits may be 0s; counts have an upper bound', async () => {
    const file = await put('w.yaml', 'name: w\nchecks:\n  - kind: nodes\n    settle: 0s\n    count: 1000000\n');
    expect((await problems(file)).map((p) => p.message)).toEqual(['expected at most 5000, got 1000000']);
  });
});

describe('fixture files', () => {
  const suite = (file: string) => `${HEAD}fixtures:\n  - file: ${file}\n`;

  it('a path out of the suite folder is refused, naming the path and the rule, and never read', async () => {
    const file = await put('s/suite.yaml', suite('../../../../../../../../etc/passwd'));
    const [p] = await problems(file);
    expect(p).toMatchObject({ line: 5, column: 11 });
    expect(p!.message).toMatch(/^fixture '..\/..\/..\/..\/..\/..\/..\/..\/etc\/passwd' resolves to \/etc\/passwd, outside the suite's folder .* expected a manifest inside one of them \(symbolic links are followed\)$/);
    expect(p!.text).not.toContain('root:');
  });

  it('a symbolic link out of the folder is refused too', async () => {
    const file = await put('suite.yaml', suite('link.yaml'));
    await symlink('/etc/passwd', path.join(dir, 'link.yaml'));
    expect((await problems(file))[0]!.message).toMatch(/^fixture 'link.yaml' resolves to \/etc\/passwd, outside/);
  });

  it('a link inside the fixtures folder is followed', async () => {
    await put('fixtures/real.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    await symlink(path.join(fixturesDir, 'real.yaml'), path.join(dir, 'linked.yaml'));
    const file = await put('suite.yaml', suite('linked.yaml'));
    await expect(loadSuiteFile(file, { fixturesDir })).resolves.toMatchObject({ suite: { name: 'hostile' } });
  });

  it('a link loop says so', async () => {
    await symlink('loop.yaml', path.join(dir, 'loop.yaml'));
    const file = await put('suite.yaml', suite('loop.yaml'));
    expect((await problems(file))[0]!.message).toContain('symbolic link loop');
  });

  it('the contents of a file that is not a manifest are never quoted', async () => {
    await put('tok.yaml', 'SECRET-TOKEN-abc123\n');
    await put('keys.yaml', 'password: SECRET-PW-9\n');
    for (const f of ['tok.yaml', 'keys.yaml']) {
      const file = await put('suite.yaml', suite(f));
      const text = (await problems(file)).map((p) => p.text).join('\n');
      expect(text).toMatch(/expected|apiVersion/);
      expect(text).not.toMatch(/SECRET/);
    }
  });

  it('a fixture named like a secret keeps its position and name', async () => {
    await put('fx/api-token', 'a: [1,\n');
    const file = await put('suite.yaml', suite('fx/api-token'));
    const [p] = await problems(file);
    expect(p!.text).toMatch(/fx\/api-token:\d+:\d+ invalid YAML/);
  });
});

describe('suite folders with symbolic links', () => {
  it('a linked suite inside the folder is loaded once; one outside is named, not skipped', async () => {
    await put('suites/a.yaml', HEAD.replace('hostile', 'a'));
    await put('suites/real/b.yaml', HEAD.replace('hostile', 'b'));
    await symlink('real/b.yaml', path.join(dir, 'suites/b-link.yaml'));
    expect((await loadSuites([path.join(dir, 'suites')])).map((s) => s.suite.name)).toEqual(['a', 'b']);
    await put('outside/c.yaml', HEAD.replace('hostile', 'c'));
    await symlink('../outside/c.yaml', path.join(dir, 'suites/c.yaml'));
    await symlink('loop.yaml', path.join(dir, 'suites/loop.yaml'));
    const e = (await loadSuites([path.join(dir, 'suites')]).catch((err: unknown) => err)) as SuiteError;
    const messages = e.problems.map((p) => `${path.basename(p.file)}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^c\.yaml: symbolic link to .*outside\/c\.yaml, outside the folder being searched/),
      'loop.yaml: symbolic link loop (a link that points back at itself); expected a suite file',
    ]);
  });

  it('a suite path that is a link loop is named as one', async () => {
    await symlink('self.yaml', path.join(dir, 'self.yaml'));
    const e = (await loadSuites([path.join(dir, 'self.yaml')]).catch((err: unknown) => err)) as SuiteError;
    expect(e.problems[0]!.message).toContain('symbolic link loop');
  });
});
