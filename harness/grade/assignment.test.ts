// The example assignment and its fixtures, without a cluster: the suite loads,
// is worth 30 points graded read-only, creates nothing outside its namespace,
// and each broken variant differs from the solution in exactly the file that
// carries its mistake.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuites } from '../suite/load.ts';
import { buildPlan } from '../plan/plan.ts';
import { getCheck } from '../checks/registry.ts';
import { repoPath } from '../paths.ts';
import { fixturesOutsideOwnNamespace, planColumns } from './plan-columns.ts';
import { maxPoints } from './scores.ts';
import { variantFiles, variantObjects } from './testing/student-cluster.ts';

async function plan(readOnly: boolean) {
  const suites = await loadSuites([repoPath('suites/assignments/lab1')]);
  return buildPlan({ suites, runId: 'r', nonce: 'n', options: { parallel: 1, keep: 'never', readOnly, evidence: 'failure' }, fixturesDir: repoPath('fixtures'), images: { agnhost: 'agnhost:x' } });
}

describe('lab1 assignment', () => {
  it('is not picked up by a plain `kconform run` of suites/', async () => {
    const all = await loadSuites([repoPath('suites')]);
    expect(all.map((s) => s.suite.name)).not.toContain('lab1');
  });

  it('is worth 30 points read-only; the node diagnostic is skipped and worth nothing', async () => {
    const cols = planColumns(await plan(true), (s) => getCheck(s.kind).needs(s));
    expect(maxPoints(cols)).toBe(30);
    expect(cols.filter((c) => c.skipReason).map((c) => c.name)).toEqual(['node-sysctls']);
    expect(cols.map((c) => c.kind)).toEqual(['nodes', 'assert', 'podNetwork', 'assert', 'exec', 'assert', 'http', 'http', 'http', 'assert', 'http', 'exec', 'exec']);
    expect(planColumns(await plan(false), (s) => getCheck(s.kind).needs(s)).filter((c) => c.skipReason)).toEqual([]);
  });

  it('creates nothing outside the run namespace (read-only grading accepts it)', async () => {
    const p = await plan(true);
    expect(fixturesOutsideOwnNamespace(p)).toEqual([]);
    expect(p.suites[0]?.fixtures[0]?.objects[0]).toMatchObject({ kind: 'Pod', metadata: { name: 'probe', namespace: p.suites[0]?.namespace } });
  });

  it('each broken variant replaces exactly one solution file', async () => {
    const solution = await variantFiles('lab1');
    expect(solution.map((f) => path.basename(f))).toEqual(['00-namespace.yaml', '10-files-pod.yaml', '20-files-service.yaml', '30-web-deployment.yaml', '40-web-service.yaml']);
    for (const [variant, file] of [['wrong-selector', '40-web-service.yaml'], ['single-container', '10-files-pod.yaml'], ['replicas-1', '30-web-deployment.yaml']] as const) {
      const files = await variantFiles('lab1', variant);
      const changed = files.filter((f, i) => f !== solution[i]).map((f) => path.relative(repoPath('fixtures/assignments/lab1'), f));
      expect(changed).toEqual([`broken/${variant}/${file}`]);
      expect((await readFile(files.find((f) => f.endsWith(file))!, 'utf8')).split('\n')[0]).toMatch(new RegExp(`^# BROKEN \\(${variant}\\): `));
    }
  });

  it('the variants render: the image filled in, the mistake present', async () => {
    const sol = await variantObjects('lab1', 'solution', { agnhost: 'agnhost:x' });
    expect(sol.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/lab1', 'Pod/files', 'Service/files', 'Deployment/web', 'Service/web']);
    expect(JSON.stringify(sol)).not.toContain('{{');
    const selector = (await variantObjects('lab1', 'wrong-selector', { agnhost: 'agnhost:x' })).find((o) => o.kind === 'Service' && o.metadata.name === 'web') as { spec?: { selector?: Record<string, string> } };
    expect(selector.spec?.selector).toEqual({ app: 'wbe' });
    const one = (await variantObjects('lab1', 'replicas-1', { agnhost: 'agnhost:x' })).find((o) => o.kind === 'Deployment') as { spec?: { replicas?: number } };
    expect(one.spec?.replicas).toBe(1);
    const pod = (await variantObjects('lab1', 'single-container', { agnhost: 'agnhost:x' })).find((o) => o.kind === 'Pod') as { spec?: { containers?: unknown[] } };
    expect(pod.spec?.containers).toHaveLength(1);
  });
});
