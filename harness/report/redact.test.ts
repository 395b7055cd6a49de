import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactDeep, redactText } from './redact.ts';
import { renderJunit } from './junit.ts';
import { renderJson } from './json.ts';
import { ConsoleReporter } from './console.ts';
import { writeCheckEvidence } from './evidence-files.ts';
import { beginInfo, check, sampleRun, sampleSuite } from './testing/sample-run.ts';
import { FakeStream } from './testing/fake-stream.ts';
import type { RunResult } from '../results/model.ts';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdCJ9.c2lnbmF0dXJlX1NFQ1JFVDY';
const PEM_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA SECRET05PEMBODY\nabcdef==\n-----END RSA PRIVATE KEY-----';
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIC SECRET19CERTBODY\n-----END CERTIFICATE-----';

describe('redactText', () => {
  it.each([
    ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer [redacted]'],
    ['token: s3cr3t', 'token: [redacted]'],
    ['  client-key-data: LS0tLS1CRUdJTi', '  client-key-data: [redacted]'],
    ['  client-certificate-data: LS0tLS1CRUdJTiBD', '  client-certificate-data: [redacted]'],
    ['{"password": "hunter 2"}', '{"password": "[redacted]"}'],
    ["password='hunter2'", "password='[redacted]'"],
    ['PGPASSWORD=hunter2 psql', 'PGPASSWORD=[redacted] psql'],
    ['kubectl --token=abc123 get pods', 'kubectl --token=[redacted] get pods'],
    ['id-token: xyz', 'id-token: [redacted]'],
    ['clone https://user:hunter2@git.example/repo', 'clone https://[redacted]@git.example/repo'],
    [`token ${JWT} expired`, 'token [redacted] expired'],
    [`key:\n${PEM_KEY}\nafter`, 'key:\n[redacted]\nafter'],
    [PEM_CERT, '[redacted]'],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE (log cut here)', '[redacted]'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
  ])('%j -> %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
    expect(redactText(expected)).toBe(expected);
  });

  it.each([
    'endpoint web-2 answered 0/300 (web-0 152, web-1 148)',
    'secret:\n  secretName: tls-cert',
    'tokens: 5',
    'waited for the service account token to be mounted',
    'http://web.kconform-net.svc:8080/echo?nonce=abc',
    'user@example.com wrote',
  ])('leaves %j alone', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redactDeep', () => {
  it('redacts strings at any depth and values under credential keys, keeps keys and other types', () => {
    const input = {
      a: [{ note: 'Bearer abc' }],
      spec: { password: 'plain', clientKeyData: 'LS0t', secretName: 'tls', token: '' },
      n: 3,
      ok: true,
      nothing: null,
    };
    expect(redactDeep(input)).toEqual({
      a: [{ note: `Bearer ${REDACTED}` }],
      spec: { password: REDACTED, clientKeyData: REDACTED, secretName: 'tls', token: '' },
      n: 3,
      ok: true,
      nothing: null,
    });
    expect(input.spec.password).toBe('plain');
  });

  it('hides the data of Secret objects', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { 'tls.key': 'c2VjcmV0' }, stringData: { pw: 'x' } };
    expect(redactDeep(secret)).toEqual({ ...secret, data: { 'tls.key': REDACTED }, stringData: { pw: REDACTED } });
  });

  it('copes with shared and circular objects', () => {
    const shared = { t: 'token: x' };
    const loop: Record<string, unknown> = { a: shared, b: shared };
    loop.self = loop;
    const out = redactDeep(loop);
    expect(out.a).toEqual({ t: `token: ${REDACTED}` });
    expect(out.self).toBe(out);
  });
});

/** Every secret planted in the run; none may appear in any output. */
const SECRETS = [
  'SECRET01', 'SECRET02KEYDATA', 'SECRET03CERT', 'SECRET04TOKEN', 'SECRET05PEMBODY', JWT, 'SECRET07PASS', 'SECRET08',
  'SECRET09', 'SECRET10', 'c2VjcmV0MTE=', 'SECRET12', 'SECRET13', 'SECRET14', 'SECRET15', 'SECRET16', 'SECRET17',
  'SECRET18', 'SECRET19CERTBODY', 'BEGIN RSA PRIVATE KEY',
];

function seededRun(): RunResult {
  const suite = sampleSuite();
  const leaky = check('apiAccess', {
    status: 'fail',
    reason: 'login failed: Authorization: Bearer SECRET01',
    hint: 'try https://admin:SECRET07PASS@registry.local/v2',
    evidence: [
      { kind: 'text', title: 'kubeconfig', text: 'users:\n- user:\n    client-key-data: SECRET02KEYDATA\n    client-certificate-data: SECRET03CERT\n    token: SECRET04TOKEN\n' },
      { kind: 'logs', title: 'api', pod: 'api-0', container: 'app', text: `starting\n${PEM_KEY}\nusing ${JWT}\n${PEM_CERT}\n` },
      { kind: 'object', title: 'Secret db', object: { kind: 'Secret', metadata: { name: 'db' }, data: { 'tls.key': 'c2VjcmV0MTE=' } } },
      { kind: 'events', title: 'events', events: [{ time: 't', type: 'Warning', reason: 'Auth', object: 'Pod/api-0', message: 'password: "SECRET12 with space"' }] },
      { kind: 'table', title: 'env', columns: ['name', 'value'], rows: [['db', 'password=SECRET13']] },
    ],
    assertions: [{ name: 'logs in', passed: false, message: 'token: SECRET14' }],
    attempts: [
      { attempt: 1, status: 'fail', reason: 'PGPASSWORD=SECRET16 rejected', durationMs: 5, evidence: [] },
      { attempt: 2, status: 'fail', reason: 'login failed: Authorization: Bearer SECRET01', durationMs: 5, evidence: [] },
    ],
  });
  const flakyLeak = check('flakyLeak', {
    flaky: true,
    attempts: [
      { attempt: 1, status: 'fail', reason: 'token=SECRET17', durationMs: 5, evidence: [{ kind: 'text', title: 't', text: 'Bearer SECRET18' }] },
      { attempt: 2, status: 'pass', reason: 'ok', durationMs: 5, evidence: [] },
    ],
  });
  const skipped = check('skipLeak', { status: 'skip', reason: 'no access with password=SECRET13' });
  return sampleRun({
    cluster: {
      name: 'lab password=SECRET10',
      provider: 'kubeconfig',
      kubernetesVersion: 'v1.37.2',
      uid: 'https://ops:SECRET09@api.lab:6443',
      shape: { kubeconfigToken: 'SECRET08', server: 'https://api.lab:6443' },
    },
    suites: [{ ...suite, checks: [...suite.checks, leaky, flakyLeak, skipped], errors: ['apply failed: Bearer SECRET15'] }],
  });
}

function expectClean(output: string, where: string): void {
  for (const s of SECRETS) expect(output.includes(s), `${where} leaks ${s}`).toBe(false);
  expect(output).toContain(REDACTED);
}

describe('no reporter writes a credential', () => {
  const run = seededRun();

  it('JUnit', () => {
    const xml = renderJunit(run);
    expectClean(xml, 'junit.xml');
    expect(xml).toContain('endpoint web-2 answered 0/300');
  });

  it('JSON', () => {
    const json = renderJson(run);
    expectClean(json, 'results.json');
    expect(JSON.parse(json).cluster.shape.server).toBe('https://api.lab:6443');
  });

  it('console, plain and fancy', () => {
    for (const mode of ['plain', 'fancy'] as const) {
      const out = new FakeStream({ isTTY: mode === 'fancy', columns: 100 });
      const err = new FakeStream();
      const r = new ConsoleReporter({ mode, stdout: out, stderr: err, evidenceDir: 'reports/evidence' });
      r.onRunBegin(beginInfo(run));
      r.onLog('using token=SECRET17');
      for (const s of run.suites) {
        r.onSuiteBegin(s.name, s.namespace);
        for (const c of s.checks) {
          r.onCheckBegin(c.id);
          r.onCheckProgress(c.id, 'Authorization: Bearer SECRET18');
          r.onCheckEnd(c);
        }
        r.onSuiteEnd(s);
      }
      r.onError('write failed for https://a:SECRET09@x');
      r.onRunEnd(run);
      expectClean(out.text + err.text, `console (${mode})`);
    }
  });

  it('evidence files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kconform-redact-'));
    const leaky = run.suites[0]!.checks.find((c) => c.name === 'apiAccess')!;
    const dir = await writeCheckEvidence(root, leaky);
    const names = await readdir(dir);
    expect(names).toEqual(expect.arrayContaining(['summary.txt', 'events.txt', 'data.json', 'api-0.app.log']));
    const all = (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('\n');
    expectClean(all, 'evidence files');
  });
});
