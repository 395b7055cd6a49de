// The habits of issue 19 through the real kconform process: choosing what runs
// (--list, -l, --grep, --shard) without a cluster, the config file, completion,
// help, grading a folder with stray files in shards and merging them, merging
// run shards, and the grader's hand-in kubeconfig.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';
import { sampleRun, check } from '../report/testing/sample-run.ts';
import { summarize } from '../results/model.ts';

let dir: string;
// No kubeconfig anywhere: whatever touched a cluster would fail loudly.
const kconform = (...args: string[]) => runCli(args, { KUBECONFIG: path.join(os.tmpdir(), 'kconform-no-such-kubeconfig') });

const KUBECONFIG = (port: number) =>
  `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {token: s3cr3t-t0ken-value}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-habits-'));
});

describe('choosing what runs, without a cluster', () => {
  it('--list prints suite, check, labels, needs and destructive, and exits 0', async () => {
    const r = await kconform('run', '--list', '-l', 'area=network,!slow');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^SUITE\s+CHECK\s+KIND\s+LABELS\s+NEEDS\s+DESTRUCTIVE$/);
    expect(r.stdout).toMatch(/^network\s+dns\s+dns\s+area=network\s+1 node\s+no$/m);
    expect(r.stdout).not.toMatch(/rollout|eviction|service-distribution|service-proxy-rules/);
    expect(r.stdout).toMatch(/^classic\s+service-endpoints\s/m);
    expect(r.stdout).toMatch(/^\d+ check\(s\) in 2 suite\(s\); nothing was run$/m);
  }, 180_000);

  it('destructive checks are marked; !destructive leaves them out; --grep-invert and ! in --filter exclude', async () => {
    const all = await kconform('run', '--list');
    expect(all.stdout).toMatch(/^lifecycle\s+eviction-drain\s+eviction\s+.*destructive.*\s+2 schedulable workers\s+yes$/m);
    const safe = await kconform('run', '--list', '-l', '!destructive,!privileged', '--grep-invert', 'rollout', '--filter', '!classic/');
    expect(safe.stdout).not.toMatch(/ yes$/m);
    expect(safe.stdout).not.toMatch(/rollout|^classic/m);
    expect(safe.stdout).toMatch(/^lifecycle\s+eviction-api/m);
  }, 180_000);

  it('--shard i/n parts cover the plan once, in order, sizes within one (JSON with --reporter json)', async () => {
    const ids = async (...a: string[]) => (JSON.parse((await kconform('run', '--list', '--reporter', 'json', ...a)).stdout) as { checks: { id: string }[] }).checks.map((c) => c.id);
    const whole = await ids();
    const parts = [await ids('--shard', '1/3'), await ids('--shard', '2/3'), await ids('--shard', '3/3')];
    expect(parts.flat()).toEqual(whole);
    expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
  }, 180_000);

  it('conformance --list shows the plan and creates nothing (no Docker, no kind needed)', async () => {
    const r = await runCli(['conformance', '--list', '-l', 'kind=dns'], { PATH: path.dirname(process.execPath), KCONFORM_KIND: '/nonexistent/kind' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^network\s+dns\s+dns\s/m);
    expect(r.stdout).toMatch(/^1 check\(s\) in 1 suite\(s\); nothing was run$/m);
  }, 180_000);

  it('bad selection input exits 2 with where and what', async () => {
    const s = await kconform('run', '--list', '-l', 'area in (network');
    expect(s.code).toBe(2);
    expect(s.stderr.trim()).toBe("kconform: --selector: column 17: expected ',' or ')' in the value list of 'area' in 'area in (network'");
    const g = await kconform('run', '--list', '--grep', '/(/');
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/--grep: expected a substring or a \/regular expression\/, got '\/\(\/' \(\/\(\/: Unterminated group\)/);
    const n = await kconform('run', '--shard', '3/2');
    expect(n.code).toBe(2);
    const o = await kconform('run', '--list', '-o', 'a', '--reports', 'b');
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/--output-dir and --reports name different folders/);
  }, 180_000);
});

describe('conventions', () => {
  it('conformance and matrix help offers no --kubeconfig, --context or --rerun-failed, and every command shows two examples', async () => {
    for (const cmd of ['conformance', 'matrix']) {
      const h = await kconform(cmd, '--help');
      expect(h.stdout).not.toMatch(/--kubeconfig|--context|--rerun-failed/);
      expect(h.stdout).toMatch(/-o, --output-dir <dir>/);
    }
    const run = await kconform('run', '--help');
    expect(run.stdout).toMatch(/--kubeconfig <file>/);
    expect(run.stdout).toMatch(/--allow-disruptive/);
    expect(run.stdout.split('Examples:')[1]?.match(/^ {2}\$ kconform /gm)).toHaveLength(2);
  }, 180_000);

  it('bash completion completes commands, flags and flag values', async () => {
    const script = (await kconform('completion', 'bash')).stdout;
    await writeFile(path.join(dir, 'kconform.bash'), script);
    const complete = async (...words: string[]) =>
      (await execa('bash', ['-c', `source "$1"; COMP_WORDS=("\${@:2}"); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _kconform_complete; printf '%s\\n' "\${COMPREPLY[@]}"`, '_', path.join(dir, 'kconform.bash'), ...words], { cwd: dir })).stdout.split('\n');
    expect(await complete('kconform', 'mer')).toEqual(['merge']);
    expect(await complete('kconform', 'run', '--grep')).toEqual(['--grep', '--grep-invert']);
    expect(await complete('kconform', 'run', '--evidence', '')).toEqual(['always', 'failure', 'never']);
    expect(await complete('kconform', 'cluster', 'd')).toEqual(['down']);
    expect(await complete('kconform', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect((await kconform('completion', 'fish')).stdout).toContain("complete -c kconform -n '__kconform_path run --' -l grep -r -F");
    expect((await kconform('completion', 'zsh')).stdout).toMatch(/^#compdef kconform\n/);
  }, 180_000);

  const fish = ['/usr/bin/fish', '/usr/local/bin/fish'].find((f) => existsSync(f));
  it.skipIf(!fish)(`fish completion completes after a suite path too${fish ? '' : ' (skipped: no fish; apt-get install fish)'}`, async () => {
    await writeFile(path.join(dir, 'kconform.fish'), (await kconform('completion', 'fish')).stdout);
    const complete = async (line: string) => (await execa(fish!, ['-c', `source ${path.join(dir, 'kconform.fish')}; complete -C '${line}'`])).stdout.split('\n').map((l) => l.split('\t')[0]);
    expect(await complete('kconform run suites/ --sel')).toEqual(['--selector']);
    expect(await complete('kconform cluster ')).toEqual(['down', 'kubeconfig', 'status', 'up']);
    expect(await complete('kconform run --evidence ')).toEqual(['always', 'failure', 'never']);
  }, 180_000);

  it('the config file sets defaults under the flags\' names; the command line wins; mistakes name file:line:col', async () => {
    const good = path.join(dir, 'good.config.yaml');
    await writeFile(good, 'selector: ["area=network", "!slow"]\nrun:\n  grep: dns\n');
    const r = await kconform('--config', good, 'run', '--list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 check\(s\) in 1 suite\(s\); nothing was run$/m);
    expect(r.stderr).toMatch(/defaults from .*good\.config\.yaml: selector, grep/);
    const cli = await kconform('--config', good, 'run', '--list', '--grep', 'pod-network');
    expect(cli.stdout).toMatch(/^network\s+pod-network/m);
    const bad = path.join(dir, 'bad.config.yaml');
    await writeFile(bad, 'run:\n  paralel: 2\n');
    const b = await kconform('--config', bad, 'run', '--list');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bad\.config\.yaml:2:3 run\.paralel: unknown flag; did you mean 'parallel'\?/);
  }, 180_000);
});

describe('grading end to end, without clusters', () => {
  it('rbac prints the Namespace and ServiceAccount first; rbac kubeconfig turns a token into the hand-in kubeconfig', async () => {
    const r = await kconform('rbac', 'suites/assignments/lab1');
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('kind: Namespace')).toBeLessThan(r.stdout.indexOf('kind: ClusterRole'));
    expect(r.stdout).toMatch(/kind: ServiceAccount\nmetadata:\n {2}name: grader\n {2}namespace: kconform/);
    await writeFile(path.join(dir, 'admin.kubeconfig'), KUBECONFIG(6443));
    await writeFile(path.join(dir, 'token'), 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\n');
    const out = path.join(dir, 'grader.kubeconfig');
    const k = await kconform('rbac', 'kubeconfig', '--kubeconfig', path.join(dir, 'admin.kubeconfig'), '--from-token', path.join(dir, 'token'), '--server', 'https://203.0.113.7:6443', '--file', out);
    expect(k.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).toContain('server: https://203.0.113.7:6443');
    expect(text).toContain('token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    expect(k.stdout + k.stderr).not.toContain('eyJ');
    // --service-account after the subcommand's name belongs to it (the parent rbac has one too).
    const other = await kconform('rbac', 'kubeconfig', '--kubeconfig', path.join(dir, 'admin.kubeconfig'), '--service-account', 'course/ta', '--from-token', path.join(dir, 'token'));
    expect(other.stdout).toContain('current-context: course-ta');
  }, 180_000);

  it('grade skips files that are not kubeconfigs, grades in 2 shards, and merge writes one sheet', async () => {
    const k = path.join(dir, 'class');
    await mkdir(k);
    for (const s of ['ann', 'bob', 'cat']) await writeFile(path.join(k, `${s}.yaml`), KUBECONFIG(1));
    await writeFile(path.join(k, 'README.md'), '# Lab 1 hand-ins\n');
    await writeFile(path.join(k, 'grades.csv'), 'student,points\nann,30\n');
    const shard = (i: number) => kconform('grade', '--kubeconfigs', k, '--suite', 'suites/assignments/lab1', '--no-retries', '--max-wait', '2s', '--shard', `${i}/2`, '-o', path.join(dir, `grades-${i}`));
    const [one, two] = await Promise.all([shard(1), shard(2)]);
    // Every student's server is unreachable (port 1): graded 0 and reported, and the exit code says the harness could not reach them.
    expect(one.code).toBe(3);
    expect(one.stdout).toContain('skipped 2 file(s) that are not kubeconfigs:\n  README.md: not a kubeconfig: not a map of settings\n  grades.csv: not a kubeconfig: not a map of settings');
    expect(one.stdout).toContain('shard 1/2: 2 of 3 student(s) (ann .. bob)');
    expect(two.stdout).toContain('shard 2/2: 1 of 3 student(s) (cat .. cat)');
    const m = await kconform('merge', path.join(dir, 'grades-2'), path.join(dir, 'grades-1'), '-o', path.join(dir, 'grades'));
    expect(m.code).toBe(0);
    const sheet = JSON.parse(await readFile(path.join(dir, 'grades', 'scores.json'), 'utf8')) as { students: { student: string; points: number; max: number; reportDir: string }[] };
    expect(sheet.students.map((s) => `${s.student} ${s.points}/${s.max}`)).toEqual(['ann 0/30', 'bob 0/30', 'cat 0/30']);
    expect(await readFile(path.join(dir, 'grades', 'cat', 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect((await readFile(path.join(dir, 'grades', 'scores.csv'), 'utf8')).split('\n')[0]).toMatch(/^student,/);
    const lone = await kconform('merge', path.join(dir, 'grades-1'), '-o', path.join(dir, 'lone'));
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('shard(s) 2/2 missing');
  }, 240_000);

  it('grade --reporter json prints the score sheet alone on stdout (console on stderr); github annotates each student; bad names exit 2', async () => {
    const k = path.join(dir, 'class-r');
    await mkdir(k);
    for (const s of ['dan', 'eve']) await writeFile(path.join(k, `${s}.yaml`), KUBECONFIG(1));
    const o = path.join(dir, 'grades-r');
    const r = await kconform('grade', '--kubeconfigs', k, '--suite', 'suites/assignments/lab1', '--no-retries', '--max-wait', '2s', '--reporter', 'json,github', '-o', o);
    expect(r.code).toBe(3);
    // stdout is exactly the sheet the file holds: one parseable document.
    expect(r.stdout).toBe((await readFile(path.join(o, 'scores.json'), 'utf8')).trimEnd());
    const sheet = JSON.parse(r.stdout) as { students: { student: string; outcome: string }[] };
    expect(sheet.students.map((s) => `${s.student} ${s.outcome}`)).toEqual(['dan unreachable', 'eve unreachable']);
    expect(r.stderr).toContain('kconform grade: 2 cluster(s)');
    expect(r.stderr).toMatch(/^::error title=kconform grade dan::dan: 0\/30, unreachable: /m);
    expect(r.stderr).toMatch(/^::notice title=kconform grade::2 student\(s\): 0 with full marks, 2 not graded$/m);
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-t0ken-value');
    const md = await kconform('grade', '--kubeconfigs', k, '--suite', 'suites/assignments/lab1', '--no-retries', '--max-wait', '2s', '--reporter', 'markdown', '-o', o);
    expect(md.stdout).toBe((await readFile(path.join(o, 'scores.md'), 'utf8')).trimEnd());
    const bad = await kconform('grade', '--kubeconfigs', k, '--reporter', 'csv,json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--reporter: csv and json each print the whole score sheet to stdout; choose one');
    const unknown = await kconform('grade', '--kubeconfigs', k, '--reporter', 'junit');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--reporter: unknown reporter 'junit'; expected console, json, csv, markdown, github");
  }, 240_000);
});

describe('kconform merge for runs', () => {
  it('joins run shards into JUnit, results.json and HTML; exit code as the run would have', async () => {
    const a = sampleRun({ runId: 'a', shard: { index: 1, total: 2 } });
    const life = { name: 'life', file: 'suites/life.yaml', namespace: 'n', status: 'pass' as const, durationMs: 5, errors: [], checks: [check('api', { suite: 'life' })] };
    const b = sampleRun({ runId: 'b', shard: { index: 2, total: 2 }, suites: [life], summary: summarize([life]) });
    for (const [name, run] of [['s1', a], ['s2', b]] as const) {
      await mkdir(path.join(dir, 'runs', name), { recursive: true });
      await writeFile(path.join(dir, 'runs', name, 'results.json'), JSON.stringify(run));
    }
    const out = path.join(dir, 'merged');
    const r = await kconform('merge', path.join(dir, 'runs'), '-o', out);
    expect(r.stdout).toMatch(/^merged 2 part\(s\): 7 checks, 4 passed, 1 failed, 1 errored, 1 skipped, 1 flaky$/m);
    expect(r.code).toBe(3); // an errored check: the harness could not decide, as `run` would exit
    const merged = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as { suites: { name: string }[]; shard?: unknown };
    expect(merged.suites.map((s) => s.name)).toEqual(['net', 'life']);
    expect(merged.shard).toBeUndefined();
    expect(await readFile(path.join(out, 'junit.xml'), 'utf8')).toContain('classname="kconform.life"');
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain('<html');
  }, 180_000);
});
