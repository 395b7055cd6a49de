// The CI matrix workflow: its shape (the matrix users are promised) and
// actionlint's verdict. actionlint is a Go binary kept outside the repo
// (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cacheDir } from '../cluster/cache.ts';
import { repoPath } from '../paths.ts';
import { CNI_CHOICES, MATRIX_CNIS } from '../cluster/cni/table.ts';

const WORKFLOW = repoPath('.github', 'workflows', 'conformance.yml');

function actionlintBinary(): string | undefined {
  const candidates = [
    process.env.ACTIONLINT,
    path.join(process.env.GOPATH ?? path.join(os.homedir(), 'go'), 'bin', 'actionlint'),
    cacheDir('bin', 'actionlint'),
    ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'actionlint')),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  if?: string;
  strategy?: { 'fail-fast': boolean; matrix: Record<string, string[]> };
  steps: Step[];
}

describe('.github/workflows/conformance.yml', () => {
  it('runs every CNI x CRI cell without fail-fast, each creating its own kind cluster and running all suites', async () => {
    const wf = parse(await readFile(WORKFLOW, 'utf8')) as { jobs: Record<string, Job> };
    const cell = wf.jobs.cell!;
    expect(cell.strategy).toEqual({ 'fail-fast': false, matrix: { cni: ['flannel', 'kube-router', 'calico', 'weave'], cri: ['containerd', 'docker'] } });
    expect(cell.strategy!.matrix.cni).toEqual(MATRIX_CNIS);
    // cells follow the CNI table's order
    const cnis = cell.strategy!.matrix.cni!;
    expect([...cnis].sort((a, b) => CNI_CHOICES.indexOf(a) - CNI_CHOICES.indexOf(b))).toEqual(cnis);
    const runStep = cell.steps.find((s) => s.run?.includes('run --provider kind'))!;
    expect(runStep.run).toContain('--cni "${{ matrix.cni }}"');
    expect(runStep.run).toContain('--cri "${{ matrix.cri }}"');
    expect(runStep.run).toContain('--nodes 3');
    expect(runStep.run).toMatch(/--reports reports\/cell\s+suites$/);
    const upload = cell.steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.path === 'reports/cell')!;
    expect(upload.if).toBe('always()');
    expect(cell.steps.some((s) => s.run?.includes('--step-summary') && s.if === 'always()')).toBe(true);
  });

  it('runs the typecheck and the unit tier before any cell, and every action on its Node 24 major', async () => {
    const text = await readFile(WORKFLOW, 'utf8');
    const wf = parse(text) as { jobs: Record<string, Job> };
    const checks = wf.jobs.checks!;
    expect(checks.steps.some((s) => s.run === 'npx tsc --noEmit -p .')).toBe(true);
    expect(checks.steps.some((s) => s.run === 'npx vitest run --project unit')).toBe(true);
    expect(wf.jobs.cell!.needs).toBe('checks');
    // the first majors whose action.yml says `runs.using: node24`
    const node24: Record<string, number> = { 'actions/checkout': 5, 'actions/setup-node': 5, 'actions/setup-go': 6, 'actions/upload-artifact': 6, 'actions/download-artifact': 7 };
    const uses = [...text.matchAll(/uses: ([\w-]+\/[\w-]+)@v(\d+)/g)];
    expect(uses.length).toBeGreaterThan(5);
    for (const [, action, major] of uses) expect(Number(major), action).toBeGreaterThanOrEqual(node24[action!] ?? 99);
  });

  it('merges the cells in a last job that runs even when cells fail', async () => {
    const wf = parse(await readFile(WORKFLOW, 'utf8')) as { jobs: Record<string, Job> };
    const merge = wf.jobs.merge!;
    expect(merge.needs).toBe('cell');
    expect(merge.if).toBe('always()');
    expect(merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toMatchObject({ pattern: 'kconform-cell-*' });
    expect(merge.steps.some((s) => s.run?.includes('matrix merge cells'))).toBe(true);
  });

  const bin = actionlintBinary();
  it.skipIf(!bin)(`passes actionlint${bin ? '' : ' (skipped: no actionlint binary in $ACTIONLINT, ~/go/bin, the kconform cache or PATH; go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)'}`, async () => {
    const r = await execa(bin!, ['-no-color', WORKFLOW], { reject: false, cwd: repoPath() });
    expect(r.stdout, r.stdout).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
