// Progress lines reach the reporter from inside checks, which cannot wait for it: a
// reporter that rejects on one must not become an unhandled rejection (which would
// wind the whole run down as an internal error).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPlan } from './runner.ts';
import type { CheckDefinition } from '../checks/types.ts';
import { FakeKube } from '../testing/fake-kube.ts';
import type { Reporter } from '../report/reporter.ts';

const talkative: CheckDefinition = {
  kind: 'nodes',
  proves: 'test',
  needs: () => ({}),
  async run(_spec, ctx) {
    ctx.log('halfway, token=Bearer abc.def');
    await new Promise((r) => setTimeout(r, 10));
    return { status: 'pass', reason: 'ok' };
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runPlan with a reporter that rejects on progress lines', () => {
  it('finishes the run and says on stderr what failed, redacted', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const reporter: Reporter = {
      onCheckProgress: () => Promise.reject(new Error('disk full (Bearer s3cr3t)')),
      onLog: () => Promise.reject(new Error('disk full')),
    };
    const r = await runPlan(
      {
        runId: 'r1', nonce: 'n', images: { agnhost: 'a' }, options: { parallel: 1, keep: 'never', readOnly: false, evidence: 'never' },
        suites: [{ name: 's', file: '/suites/s.yaml', namespace: 'kconform-s-r1', fixtures: [], checks: [{ id: 's/c', name: 'c', spec: { kind: 'nodes', name: 'c' }, timeoutMs: 5_000, retries: 0 }] }],
      },
      { kube: new FakeKube().asKube(), reporter, cluster: { name: 'fake', provider: 'kubeconfig' }, signal: new AbortController().signal, checks: () => talkative },
    );
    await new Promise((r) => setImmediate(r));
    expect(r.summary.passed).toBe(1);
    const said = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(said).toContain('kconform: a reporter failed on a progress line: disk full');
    expect(said).not.toContain('s3cr3t');
  });
});
