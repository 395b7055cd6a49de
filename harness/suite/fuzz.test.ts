// Fuzz tier (issue 17): suites, fixture files and kubeconfigs mutated from valid
// ones by fast-check. For every case: the loader accepts (exit 0) or refuses with
// its own error (exit 2) — never anything else (an internal error) —, every
// position is inside the file it names, the answer comes within a time bound, and
// no secret planted in a fixture file or kubeconfig is echoed.
//
// Seeded and bounded, so a CI run is repeatable: KCONFORM_FUZZ_SEED (default below)
// and KCONFORM_FUZZ_RUNS (cases per property) change them; a failure prints the
// seed and the shrunk case, and rerunning with that seed reproduces it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../paths.ts';
import { ClusterUnreachableError } from '../kube/errors.ts';
import { loadKubeconfig } from '../kube/config.ts';
import { SuiteError, loadSuiteFile } from './load.ts';

const SEED = Number(process.env.KCONFORM_FUZZ_SEED ?? 1717);
const RUNS = Number(process.env.KCONFORM_FUZZ_RUNS ?? 1500);
/** A hang detector, not a speed target (those are in bench/): each case is a few milliseconds. */
const CASE_BOUND_MS = 5_000;
const SECRETS = ['SECRET-FUZZ-TOKEN-1a2b', 'SECRET-FUZZ-PW-3c4d', 'SECRET-FUZZ-KEY-5e6f'];

const root = mkdtempSync(path.join(tmpdir(), 'kconform-fuzz-'));
const fixturesDir = path.join(root, 'fixtures');
mkdirSync(fixturesDir);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SHIPPED = ['suites/nodes.yaml', 'suites/network.yaml', 'suites/classic.yaml'].map((f) => readFileSync(repoPath(f), 'utf8'));
const WITH_FIXTURES = `name: fz
timeout: 90s
vars: { replicas: 2 }
fixtures:
  - file: fx.yaml
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: "cm-{{ nonce }}" }
      data: { a: "1" }
checks:
  - kind: nodes
    count: 3
    settle: 5s
  - &probe
    kind: http
    name: web
    request: { service: web, port: 80, path: /echo }
    expect: { status: 200 }
  - <<: *probe
    name: web2
`;
const MANIFEST = `apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  token: ${SECRETS[0]}
  password: "${SECRETS[1]}"
---
apiVersion: v1
kind: ConfigMap
metadata: { name: "x-{{ nonce }}" }
data:
  note: ${SECRETS[2]}
`;

/** Pieces a hostile user reaches for: YAML structure, bounds, encodings. */
const PIECES = [
  '*a', '&a ', '[', ']', '{', '}', ': ', '- ', '\t', '#', '"', "'", '|\n', '>-\n', '<<: *a\n', '---\n', '...\n', '\n', '  ',
  '0s', '0ms', '600h', '99999999999h', '-1', '1e309', '0x7fffffff', '.nan', '~', 'null', 'true', '!!binary ', '!custom ',
  '\ufeff', '\u0000', '\u00e9', '\ud83d\ude00', '\u202e', '{{ nope }}', '{{', '}}', '../../../../etc/passwd', 'file: ',
  '- *a\n'.repeat(150), '['.repeat(200), '- '.repeat(100), 'k: v\n'.repeat(50), 'x'.repeat(300),
];

type Mutation = { at: number; kind: 'insert' | 'delete' | 'replace' | 'dupLine'; piece: string; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat({ max: 1_000_000 }),
  kind: fc.constantFrom('insert', 'delete', 'replace', 'dupLine'),
  piece: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 })),
  len: fc.nat({ max: 40 }),
});

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length === 0 ? 0 : m.at % (t.length + 1);
    if (m.kind === 'insert') t = t.slice(0, at) + m.piece + t.slice(at);
    else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
    else if (m.kind === 'replace') t = t.slice(0, at) + m.piece + t.slice(at + Math.min(m.len, m.piece.length + 3));
    else {
      const start = t.lastIndexOf('\n', at - 1) + 1;
      const end = t.indexOf('\n', at);
      const line = t.slice(start, end < 0 ? t.length : end + 1);
      t = t.slice(0, start) + line.repeat(1 + (m.len % 5)) + t.slice(start);
    }
  }
  return t;
}

/** Encodings too: some cases are written as Latin-1 or UTF-16 bytes. */
const encoding = fc.constantFrom<BufferEncoding>('utf8', 'utf8', 'utf8', 'utf8', 'latin1', 'utf16le');

interface Outcome {
  ms: number;
  ok: boolean;
  text: string;
}

let caseNo = 0;
async function loadCase(suiteText: string, enc: BufferEncoding, fixtureText?: string): Promise<Outcome> {
  const dir = path.join(root, `c${caseNo++}`);
  mkdirSync(dir);
  const file = path.join(dir, 'suite.yaml');
  writeFileSync(file, Buffer.from(suiteText, enc));
  if (fixtureText !== undefined) writeFileSync(path.join(dir, 'fx.yaml'), fixtureText);
  const t0 = performance.now();
  try {
    await loadSuiteFile(file, { fixturesDir });
    return { ms: performance.now() - t0, ok: true, text: '' };
  } catch (err) {
    const ms = performance.now() - t0;
    // Anything but a SuiteError would be an internal error (exit 3).
    if (!(err instanceof SuiteError)) throw new Error(`internal error (not a SuiteError): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    for (const p of err.problems) {
      const lines = readFileSync(p.file).toString(enc === 'utf16le' ? 'latin1' : 'utf8').split('\n');
      if (p.line === 0) continue; // a problem about the whole file (cannot read it)
      const where = `${p.line}:${p.column} ${p.message.slice(0, 200)} (line: ${JSON.stringify(lines[p.line - 1]?.slice(0, 200))})`;
      expect(p.line, `line of ${where}`).toBeLessThanOrEqual(lines.length);
      expect(p.column, `column of ${where}`).toBeGreaterThanOrEqual(1);
      expect(p.column, `column of ${where}`).toBeLessThanOrEqual((lines[p.line - 1]?.length ?? 0) + 2);
      expect(p.message, 'one line').not.toContain('\n');
    }
    return { ms, ok: false, text: err.format() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const params = (n = RUNS) => ({ seed: SEED, numRuns: n, endOnFailure: true });

describe(`fuzz (seed ${SEED}, ${RUNS} cases per property)`, () => {
  it('mutated suites: exit 0 or 2 with positions inside the file, in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SHIPPED, WITH_FIXTURES), fc.array(mutation, { minLength: 1, maxLength: 6 }), encoding, async (base, ms, enc) => {
        const out = await loadCase(mutate(base, ms), enc, MANIFEST);
        expect(out.ms).toBeLessThan(CASE_BOUND_MS);
        for (const s of SECRETS) expect(out.text).not.toContain(s);
      }),
      params(),
    );
  }, 120_000);

  it('mutated fixture files: the secrets in them never reach a message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (ms) => {
        const out = await loadCase(WITH_FIXTURES, 'utf8', mutate(MANIFEST, ms));
        expect(out.ms).toBeLessThan(CASE_BOUND_MS);
        for (const s of SECRETS) expect(out.text, 'a secret from the fixture file was echoed').not.toContain(s);
      }),
      params(),
    );
  }, 120_000);

  it('mutated kubeconfigs: a one-line kubeconfig error without secrets, or a loaded config', () => {
    const key = Buffer.from(`-----BEGIN PRIVATE KEY-----\n${SECRETS[2]}\n-----END PRIVATE KEY-----\n`).toString('base64');
    const base = `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster:
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: true
contexts:
- name: c
  context: { cluster: k, user: u, namespace: x }
users:
- name: u
  user:
    token: ${SECRETS[0]}
- name: v
  user:
    username: admin
    password: ${SECRETS[1]}
    client-key-data: ${key}
`;
    const dir = path.join(root, 'kc');
    mkdirSync(dir, { recursive: true });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.constantFrom('u', 'v'), (ms, user) => {
        const file = path.join(dir, 'config');
        writeFileSync(file, mutate(base.replace('user: u,', `user: ${user},`), ms));
        const t0 = performance.now();
        try {
          loadKubeconfig({ kubeconfig: file, env: {} });
        } catch (err) {
          if (!(err instanceof ClusterUnreachableError)) throw new Error(`internal error (not a kubeconfig error): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
          expect(err.message).not.toContain('\n');
          for (const s of SECRETS) expect(err.message).not.toContain(s);
        }
        expect(performance.now() - t0).toBeLessThan(CASE_BOUND_MS);
      }),
      params(),
    );
  }, 120_000);
});
