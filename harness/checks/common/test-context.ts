// For *.cluster.test.ts of the checks: a CheckContext on a real cluster, the way
// the runner builds one (namespace, nonce, deadline, cleanup), without a plan.
// A namespace is created per test file and deleted at the end; each check run
// gets its own context, deadline and cleanup.
import { randomBytes } from 'node:crypto';
import { runProgram } from '../../programs.ts';
import { Kube } from '../../kube/client.ts';
import { probeImages } from '../../images/probe-images.ts';
import { Cleanup, type CleanupRecord } from '../cleanup.ts';
import type { AnySpec, CheckContext, CheckDefinition, CheckOutcome } from '../types.ts';

export interface CheckRun {
  outcome: CheckOutcome;
  durationMs: number;
  log: string[];
  cleanupFailures: CleanupRecord[];
}

export class TestCluster {
  readonly kube: Kube;
  readonly namespace: string;

  private constructor(kube: Kube, namespace: string) {
    this.kube = kube;
    this.namespace = namespace;
  }

  /** Connects and creates `kconform-t-<name>-<random>`, labelled so `kconform clean` finds it. */
  static async open(kubeconfig: string, name: string): Promise<TestCluster> {
    const kube = Kube.fromKubeconfig({ kubeconfig });
    const namespace = `kconform-t-${name}-${randomBytes(3).toString('hex')}`;
    await kube.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'kconform', 'kconform.io/run': 'test' } },
    });
    return new TestCluster(kube, namespace);
  }

  /** A context as the runner makes one, with its own deadline and cleanup. */
  context(timeoutMs: number, opts: { attempt?: number; readOnly?: boolean } = {}): { ctx: CheckContext; logs: string[] } {
    const deadline = Date.now() + timeoutMs;
    const logs: string[] = [];
    const ctx: CheckContext = {
      kube: this.kube,
      namespace: this.namespace,
      runId: 'test',
      nonce: randomBytes(8).toString('hex'),
      signal: AbortSignal.timeout(timeoutMs),
      deadline,
      remainingMs: () => Math.max(0, deadline - Date.now()),
      cleanup: new Cleanup(),
      readOnly: opts.readOnly ?? false,
      log: (m) => {
        logs.push(m);
        if (process.env.KCONFORM_TEST_VERBOSE) process.stdout.write(`    ${m}\n`);
      },
      images: probeImages(),
      attempt: opts.attempt ?? 1,
    };
    return { ctx, logs };
  }

  /** Runs a check to its outcome, then its cleanup (as the runner does). */
  async run<S extends AnySpec>(check: CheckDefinition<S>, spec: S, timeoutMs: number): Promise<CheckRun> {
    const { ctx, logs } = this.context(timeoutMs);
    const start = Date.now();
    let ended: { outcome: CheckOutcome } | { error: unknown };
    try {
      ended = { outcome: await check.run(spec, ctx) };
    } catch (error) {
      ended = { error };
    }
    const durationMs = Date.now() - start;
    const cleanupFailures = await ctx.cleanup.run();
    if ('error' in ended) throw ended.error;
    return { outcome: ended.outcome, durationMs, log: logs, cleanupFailures };
  }

  async close(): Promise<void> {
    try {
      await this.kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: this.namespace }, { wait: true, timeoutMs: 120_000 });
    } finally {
      await this.kube.close();
    }
  }
}

/** Runs a command on a kind node (a Docker container named like the node). */
export async function onNode(node: string, command: string[]): Promise<string> {
  const r = await runProgram('docker', ['exec', node, ...command], { timeout: 60_000 });
  if (r.exitCode !== 0) throw new Error(`on ${node}: ${command.join(' ')}: exit ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
