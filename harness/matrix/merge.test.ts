import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize, type CheckResult, type RunResult, type Status } from '../results/model.ts';
import { renderJson } from '../report/json.ts';
import { cellFromRun, cellId, cellWithoutRun, writeCell } from './cell.ts';
import { loadCells } from './load.ts';
import { matrixMarkdown, mdCell } from './markdown.ts';
import { mergeCells } from './merge.ts';

function check(id: string, status: Status, reason: string = status): CheckResult {
  const [suite, name] = id.split('/') as [string, string];
  return { id, suite, name, kind: name, status, reason, durationMs: 10, startedAt: '2026-11-23T00:00:00Z', evidence: [], assertions: [], flaky: false, attempts: [], runId: 'r1' };
}

function run(cni: string, cri: string, checks: CheckResult[]): RunResult {
  const suites = [{ name: 'network', file: 'suites/network.yaml', namespace: 'ns', status: 'pass' as Status, durationMs: 100, checks, errors: [] }];
  return {
    schemaVersion: 1,
    tool: { name: 'kconform', version: '0.1.0' },
    runId: 'r1',
    startedAt: '2026-11-23T00:00:00Z',
    finishedAt: '2026-11-23T00:01:00Z',
    durationMs: 60_000,
    cluster: { name: 'kc', provider: 'kind', kubernetesVersion: 'v1.37.2', nodes: 3, cni, cri },
    suites,
    interrupted: false,
    summary: summarize(suites),
  };
}

describe('cells', () => {
  it('ids and labels name the cell; a run becomes one status', () => {
    expect(cellId('flannel:host-gw', 'docker')).toBe('flannel-host-gw-docker');
    const ok = cellFromRun({ cni: 'flannel', cri: 'containerd' }, run('flannel', 'containerd', [check('nodes/n', 'pass'), check('network/pod-network', 'pass')]), { createMs: 70_000, suiteMs: 30_000 });
    expect(ok).toMatchObject({ status: 'pass', reason: '2/2 checks passed', createMs: 70_000, suiteMs: 30_000, running: { cni: 'flannel', cri: 'containerd', nodes: 3 } });
    expect(cellFromRun({ cni: 'x', cri: 'y' }, run('x', 'y', [check('a/b', 'fail'), check('a/c', 'error')]), { suiteMs: 1 }).status).toBe('error');
    expect(cellFromRun({ cni: 'x', cri: 'y' }, run('x', 'y', [check('a/b', 'fail'), check('a/c', 'pass')]), { suiteMs: 1 }).status).toBe('fail');
  });
});

describe('mergeCells', () => {
  const inputs = [
    { dir: 'cells/weave-docker', cell: cellWithoutRun({ cni: 'weave', cri: 'docker' }, 'skip', 'missing images docker.io/weaveworks/weave-kube:2.8.1') },
    {
      dir: 'cells/flannel-docker',
      results: run('flannel', 'docker', [check('nodes/cluster-nodes', 'pass'), check('network/dns', 'fail', 'svc.ns: NXDOMAIN | expected 10.96.0.10')]),
    },
    {
      dir: 'cells/flannel-containerd',
      cell: cellFromRun({ cni: 'flannel', cri: 'containerd' }, run('flannel', 'containerd', [check('nodes/cluster-nodes', 'pass'), check('network/dns', 'pass')]), { createMs: 65_000, suiteMs: 90_000 }),
      results: run('flannel', 'containerd', [check('nodes/cluster-nodes', 'pass'), check('network/dns', 'pass')]),
    },
    { dir: 'cells/empty' },
  ];

  it('orders cells by CNI then CRI, rows by check, and takes the worst status', () => {
    const t = mergeCells(inputs, new Date('2026-11-23T10:00:00Z'));
    expect(t.cells.map((c) => c.label)).toEqual(['flannel × containerd', 'flannel × docker', 'weave × docker', 'empty × ?']);
    expect(t.checks.map((r) => r.id)).toEqual(['network/dns', 'nodes/cluster-nodes']);
    expect(t.checks[0]!.cells).toEqual({
      'flannel-containerd': { status: 'pass', reason: 'pass' },
      'flannel-docker': { status: 'fail', reason: 'svc.ns: NXDOMAIN | expected 10.96.0.10' },
    });
    expect(t.cells[3]).toMatchObject({ status: 'error', reason: expect.stringMatching(/no cell.json or results.json/) });
    expect(t.status).toBe('error');
    expect(t.generatedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(mergeCells(inputs.slice(0, 3)).status).toBe('fail');
    expect(mergeCells([inputs[0]!]).status).toBe('skip');
  });

  it('keeps the later of two folders for one cell, and says so', () => {
    const twice = [inputs[2]!, { ...inputs[2]!, dir: 'rerun/flannel-containerd' }];
    const t = mergeCells(twice);
    expect(t.cells).toHaveLength(1);
    expect(t.cells[0]!.dir).toBe('rerun/flannel-containerd');
    expect(t.cells[0]!.reason).toMatch(/also in cells\/flannel-containerd; this one kept/);
  });

  it('renders Markdown: a cell table, a check table and the failures, pipes escaped', () => {
    const md = matrixMarkdown(mergeCells(inputs.slice(0, 3)));
    expect(md).toContain('| cell | CNI running | CRI running | Kubernetes | nodes | create | suites | checks | result |');
    expect(md).toContain('| flannel × containerd | flannel | containerd | v1.37.2 | 3 | 1m05s | 1m30s | 2/2 passed | ✅ pass |');
    expect(md).toContain('| weave × docker | – | – | – | – | – | – | – | ⏭️ skip: missing images docker.io/weaveworks/weave-kube:2.8.1 |');
    expect(md).toContain('| check | flannel × containerd | flannel × docker | weave × docker |');
    expect(md).toContain('| network/dns | ✅ | ❌ | – |');
    expect(md).toContain('- **flannel × docker** `network/dns`: svc.ns: NXDOMAIN \\| expected 10.96.0.10');
    expect(mdCell('a|b\nc', 160)).toBe('a\\|b c');
    expect(mdCell('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('loadCells', () => {
  it('finds cells in artifact folders (one level down) and reads cell.json and results.json', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'kc-matrix-'));
    const a = path.join(root, 'kconform-flannel-containerd');
    await mkdir(a, { recursive: true });
    const r = run('flannel', 'containerd', [check('nodes/cluster-nodes', 'pass')]);
    await writeFile(path.join(a, 'results.json'), renderJson(r));
    await writeCell(a, cellFromRun({ cni: 'flannel', cri: 'containerd' }, r, { createMs: 1, suiteMs: 2 }));
    const b = path.join(root, 'kconform-calico-docker');
    await writeCell(b, cellWithoutRun({ cni: 'calico', cri: 'docker' }, 'error', 'kind create failed'));
    const cells = await loadCells([root]);
    expect(cells.map((c) => [path.basename(c.dir), !!c.cell, !!c.results])).toEqual([
      ['kconform-calico-docker', true, false],
      ['kconform-flannel-containerd', true, true],
    ]);
    await expect(loadCells([path.join(root, 'nope')])).rejects.toThrow(/not a folder/);
  });
});
