// The README is executed: every suite YAML block in it validates, every
// kconform command and flag it names exists in the CLI (the same Command
// objects `--help` prints), and every environment variable the workflow or
// kconform's own code reads is documented. Drift between the manual and the
// CLI fails here, not on a new user's machine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildFullProgram } from './main.ts';
import { parseConfig } from './config-file.ts';
import { loadSuiteFile, SuiteError } from '../suite/load.ts';
import { repoPath } from '../paths.ts';

const README = readFileSync(repoPath('README.md'), 'utf8');

interface Block {
  lang: string;
  text: string;
  line: number;
}

/** Fenced code blocks, with the line each starts on. */
function fencedBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    blocks.push({ lang: open[1] ?? '', text: body.join('\n'), line: start + 1 });
  }
  return blocks;
}

/** The README without its fenced blocks: prose, tables and inline code. */
function prose(md: string): string {
  return md.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '');
}

/** Inline code spans of the prose (table cells' `\|` kept as alternatives). */
function inlineSpans(md: string): string[] {
  return [...prose(md).matchAll(/`([^`\n]+)`/g)].map((m) => (m[1] ?? '').replace(/\\\|/g, '|'));
}

interface CommandUse {
  path: string[];
  flags: string[];
  where: string;
}

/** Programs whose flags the README quotes that are not kconform's. */
const FOREIGN = new Set(['docker', 'kubeadm', 'kubectl', 'kind', 'apt-get', 'go', 'npm', 'node', 'git', 'crane', 'registry', 'curl', 'cri-dockerd', 'dockerd', 'containerd', 'kubelet', 'e2e.test']);

/** Each `kconform ...` (or `npm run conformance -- ...`) invocation in a piece of shell or inline code. */
function commandUses(text: string, where: string): CommandUse[] {
  const uses: CommandUse[] = [];
  // One invocation per shell segment: split at && ; | $( ) and comments.
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s#.*$/, '');
    for (const seg of line.split(/&&|;|\$\(|\)|\s\|\s|>/)) {
      let words = seg.trim().split(/\s+/).filter(Boolean);
      const npmRun = words.indexOf('run');
      if (words[0] === 'npm' && npmRun === 1 && words[2] === 'conformance') words = ['kconform', 'conformance', ...words.slice(3).filter((w) => w !== '--')];
      const k = words.indexOf('kconform');
      if (k < 0 || (k > 0 && words[k - 1] !== 'npx')) continue;
      const rest = words.slice(k + 1);
      const cmd: string[] = [];
      for (const w of rest) {
        if (w.startsWith('-') || !/^[a-z][a-z|-]*$/.test(w) || cmd.length === 2) break;
        cmd.push(w);
      }
      uses.push({ path: cmd, flags: rest.filter((w) => /^--?[a-z]/.test(w)).map((w) => w.replace(/[=,.)\]]+.*$/, '')), where });
    }
  }
  return uses;
}

function longAndShort(cmd: Command): Set<string> {
  const s = new Set<string>(['--help', '-h']);
  for (const o of cmd.options) {
    if (o.long) s.add(o.long);
    if (o.short) s.add(o.short);
  }
  return s;
}

function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}

function collectEnvVars(dir: string, pattern: RegExp, out: Map<string, string>, skip: (f: string) => boolean): void {
  for (const name of readdirSync(dir)) {
    const f = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.git')) continue;
    if (statSync(f).isDirectory()) collectEnvVars(f, pattern, out, skip);
    else if (!skip(f)) for (const m of readFileSync(f, 'utf8').matchAll(pattern)) if (m[1] && !out.has(m[1])) out.set(m[1], path.relative(repoPath(), f));
  }
}

const program = await buildFullProgram();

async function suiteProblems(md: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-readme-'));
  const problems: string[] = [];
  for (const b of fencedBlocks(md).filter((x) => x.lang === 'yaml')) {
    const doc: unknown = parse(b.text);
    // Not every YAML block is a suite: a config file is checked by the config parser,
    // a GitHub Actions workflow is actionlint's business (its own test).
    if (b.text.startsWith('# kconform.config.yaml')) {
      try {
        parseConfig(b.text, `README.md:${b.line}`, program);
      } catch (err) {
        problems.push(`README.md:${b.line}: ${err instanceof Error ? err.message : String(err)}`);
      }
      continue;
    }
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && ('jobs' in doc || 'on' in doc)) continue;
    const text = Array.isArray(doc) ? `name: readme-fragment\nchecks:\n${b.text}\n` : b.text;
    const file = path.join(dir, `readme-line-${b.line}.yaml`);
    await writeFile(file, text);
    try {
      await loadSuiteFile(file);
    } catch (err) {
      problems.push(`README.md:${b.line}: ${err instanceof SuiteError ? err.format() : String(err)}`);
    }
  }
  return problems;
}

function allUses(md: string): CommandUse[] {
  return [
    ...fencedBlocks(md).filter((b) => ['sh', 'bash', ''].includes(b.lang)).flatMap((b) => commandUses(b.text, `README.md:${b.line}`)),
    ...inlineSpans(md).flatMap((s) => commandUses(s, `\`${s}\``)),
  ];
}

function commandProblems(uses: CommandUse[]): string[] {
  const problems: string[] = [];
  for (const u of uses) {
    if (!u.path.length) continue;
    const [name, sub] = u.path as [string, string | undefined];
    const cmd = program.commands.find((c) => c.name() === name);
    if (!cmd) {
      problems.push(`${u.where}: no command 'kconform ${name}'`);
      continue;
    }
    // `images build|status|import FILE`: each alternative a subcommand; otherwise a word after the command is an argument.
    const subs = sub && cmd.commands.length ? sub.split('|') : [];
    const targets: Command[] = [];
    for (const s of subs) {
      const c = cmd.commands.find((x) => x.name() === s);
      if (c) targets.push(c);
      else if (subs.length > 1 || cmd.registeredArguments.length === 0) problems.push(`${u.where}: no command 'kconform ${name} ${s}'`);
    }
    if (!targets.length) targets.push(cmd);
    for (const f of u.flags) {
      if (!targets.some((t) => longAndShort(t).has(f))) problems.push(`${u.where}: 'kconform ${[name, ...(subs.length ? [sub] : [])].join(' ')}' has no option ${f}`);
    }
  }
  return problems;
}

function proseFlagProblems(md: string): string[] {
  const known = new Set(['--version', '-V']);
  for (const c of [program, ...allCommands(program)]) for (const f of longAndShort(c)) known.add(f);
  const problems: string[] = [];
  for (const span of inlineSpans(md)) {
    const first = span.trim().split(/\s+/)[0] ?? '';
    if (FOREIGN.has(first) || (first === 'npx' && !span.includes('kconform'))) continue;
    for (const m of span.matchAll(/(?:^|[\s[(])(--[a-z][a-z0-9-]*)/g)) if (m[1] && !known.has(m[1])) problems.push(`\`${span}\`: no kconform option ${m[1]}`);
  }
  return problems;
}

function envVarsRead(): Map<string, string> {
  const used = new Map<string, string>();
  // What the CI workflow a user copies sets or reads.
  collectEnvVars(repoPath('.github'), /\b(KCONFORM_[A-Z0-9_]+)/g, used, () => false);
  // What kconform's own code and scripts read (tests' private handshakes excluded).
  collectEnvVars(repoPath('harness'), /(?:process\.env\.|process\.env\[['"]|\$\{?)(KCONFORM_[A-Z0-9_]+)/g, used, (f) => /\.test\.ts$|\/testing\/|\.go$/.test(f));
  return used;
}

function undocumented(md: string, used: Map<string, string>): string[] {
  return [...used].filter(([v]) => !new RegExp(`\\b${v}\\b`).test(md)).map(([v, f]) => `${v} (read in ${f})`);
}

describe('README.md', () => {
  it('every suite YAML block validates (a checks-list fragment is validated inside a suite)', async () => {
    expect(fencedBlocks(README).filter((b) => b.lang === 'yaml').length).toBeGreaterThanOrEqual(2);
    expect(await suiteProblems(README)).toEqual([]);
  });

  it('every kconform command it names exists, and every flag it gives one is an option of that command', () => {
    const uses = allUses(README);
    expect(uses.length).toBeGreaterThan(20);
    expect(commandProblems(uses)).toEqual([]);
  });

  it('every flag written in its prose is an option of some kconform command', () => {
    expect(proseFlagProblems(README)).toEqual([]);
  });

  it('documents every environment variable the workflow and kconform itself read', () => {
    const used = envVarsRead();
    expect([...used.keys()]).toEqual(expect.arrayContaining(['KCONFORM_KIND', 'KCONFORM_CNI_PLUGINS_DIR', 'KCONFORM_AGNHOST_IMAGE', 'KCONFORM_CACHE']));
    expect(undocumented(README, used)).toEqual([]);
  });

  it('the checks above fail on a README that drifted', async () => {
    const drifted = [
      '```sh',
      'npx kconform conformence suites/',
      'npx kconform run suites/ --parralel 2 && npx kconform images biuld',
      '```',
      'Use `--keep-clustr` to keep it; `kubeadm --cri-socket` is not ours.',
      '```yaml',
      'name: s',
      'fixtures:',
      '  - file: probes/web.yaml',
      'checks:',
      '  - kind: nodes',
      '```',
    ].join('\n');
    expect(commandProblems(allUses(drifted))).toEqual([
      "README.md:1: no command 'kconform conformence'",
      "README.md:1: 'kconform run' has no option --parralel",
      "README.md:1: no command 'kconform images biuld'",
    ]);
    expect(proseFlagProblems(drifted)).toEqual(['`--keep-clustr`: no kconform option --keep-clustr']);
    expect((await suiteProblems(drifted)).join('\n')).toMatch(/^README.md:6: .*fixtures\[0\]\.file: .*'probes\/web\.yaml' \(not found/);
    expect(undocumented('nothing here', new Map([['KCONFORM_KIND', 'x']]))).toEqual(['KCONFORM_KIND (read in x)']);
  });
});
