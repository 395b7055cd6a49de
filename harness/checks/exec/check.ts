// The `exec` check: run a command in pods (by name or selector, one or more
// containers) or on nodes (through a privileged debug pod in the suite's
// namespace), and match exit code and output. Rounds repeat until the output is
// right or `wait` runs out (a pod just started, a name not yet in DNS); the
// verdict is the last round's.
import type { ExecSpec } from './spec.ts';
import { parseDuration } from '../../suite/common.ts';
import { pause, realClock } from '../../kube/clock.ts';
import { ClusterUnreachableError, KubeApiError } from '../../kube/errors.ts';
import type { ObjectRef } from '../../kube/types.ts';
import type { Evidence } from '../../results/model.ts';
import type { CheckContext, CheckDefinition, CheckOutcome } from '../types.ts';
import { LABEL_CHECK, probeBaseName } from '../common/probe-manifests.ts';
import { createTracked, waitPodsReady } from '../common/probe-workload.ts';
import type { NodeObject } from '../../kube/objects.ts';
import { evaluateExec, type ExecVerdict, type RunOutput } from './evaluate.ts';
import { nodeDebugPod, nodePodName, onNodeCommand, shellLine } from './node-pod.ts';
import { withNonce } from './output-expect.ts';
import { defaultContainer, describeTarget, waitTargetPods, type PodTarget } from './pods.ts';
import { VERDICT_MARGIN_MS, waitBudgetMs } from '../common/wait-budget.ts';

const DEFAULT_COMMAND_MS = 30_000;
const ROUND_PAUSE_MS = 2_000;
const MAX_OUTPUT = 4_000;

interface Runner {
  target: string;
  run(timeoutMs: number): Promise<RunOutput>;
}

export const execCheck: CheckDefinition<ExecSpec> = {
  kind: 'exec',
  proves: 'a command run in a pod or on a node exits and prints what the author expects',
  needs: (spec) => ({ destructive: spec.node !== undefined || spec.destructive === true }),
  async run(spec, ctx) {
    const started = Date.now();
    const waitMs = waitBudgetMs(spec.wait, ctx);
    const commandMs = spec.commandTimeout ? parseDuration(spec.commandTimeout) : DEFAULT_COMMAND_MS;
    const prepared = spec.pod ? await podRunners(spec, ctx, waitMs) : await nodeRunners(spec, ctx, waitMs);
    if ('problem' in prepared) return { status: 'fail', reason: prepared.problem, involved: prepared.involved };

    let verdict: ExecVerdict;
    let outputs: RunOutput[];
    let rounds = 0;
    for (;;) {
      rounds++;
      const budget = Math.max(1_000, Math.min(commandMs, ctx.remainingMs() - VERDICT_MARGIN_MS));
      outputs = await Promise.all(prepared.runners.map((r) => r.run(budget)));
      verdict = evaluateExec(spec.expect, outputs, ctx.nonce);
      const left = waitMs - (Date.now() - started);
      if (verdict.ok || left < ROUND_PAUSE_MS + 1_000 || ctx.signal.aborted) break;
      ctx.log(`round ${rounds}: ${verdict.line}; trying again`);
      await pause(realClock, ROUND_PAUSE_MS, ctx.signal);
    }
    return outcomeOf(verdict, outputs, rounds, prepared.involved);
  },
};

type Prepared = { runners: Runner[]; involved: ObjectRef[] } | { problem: string; involved: ObjectRef[] };

async function podRunners(spec: ExecSpec, ctx: CheckContext, waitMs: number): Promise<Prepared> {
  const p = spec.pod!;
  const target: PodTarget = {
    namespace: p.namespace ?? ctx.namespace,
    ...(p.name ? { name: p.name } : {}),
    ...(p.selector ? { selector: p.selector } : {}),
    ...(p.containers ? { containers: p.containers } : p.container ? { containers: [p.container] } : {}),
    ...(p.all ? { all: true } : {}),
  };
  ctx.log(`waiting for ${describeTarget(target)} to run`);
  const found = await waitTargetPods(ctx, target, waitMs);
  const involved = found.pods.length
    ? found.pods.map((x) => ({ apiVersion: 'v1', kind: 'Pod', name: x.metadata.name ?? '', namespace: target.namespace }))
    : p.name ? [{ apiVersion: 'v1', kind: 'Pod', name: p.name, namespace: target.namespace }] : [];
  if (found.problem) return { problem: found.problem, involved };
  const argv = typeof spec.command === 'string' ? ['sh', '-c', withNonce(spec.command, ctx.nonce)] : spec.command.map((a) => withNonce(a, ctx.nonce));
  const runners = found.pods.flatMap((pod) =>
    (target.containers ?? [defaultContainer(pod)]).map((container) => {
      const name = pod.metadata.name ?? '';
      return {
        target: `${name}/${container}`,
        run: (timeoutMs: number) => execOnce(ctx, `${name}/${container}`, { namespace: target.namespace, name, container }, argv, timeoutMs),
      };
    }),
  );
  return { runners, involved };
}

async function nodeRunners(spec: ExecSpec, ctx: CheckContext, waitMs: number): Promise<Prepared> {
  const n = spec.node!;
  const nodes = await ctx.kube.list<NodeObject>('v1', 'Node', {
    ...(n.name ? { fieldSelector: `metadata.name=${n.name}` } : {}),
    ...(n.selector ? { labelSelector: n.selector } : {}),
    signal: ctx.signal,
  });
  if (nodes.length === 0) return { problem: n.name ? `node ${n.name} not found` : `no node matches ${n.selector ?? '(any)'}`, involved: [] };
  const base = probeBaseName(spec.name ?? 'node-exec', ctx.attempt);
  const pods = nodes.map((node) => ({ node: node.metadata.name ?? '', pod: nodePodName(base, node.metadata.name ?? '') }));
  const involved = pods.map((x) => ({ apiVersion: 'v1', kind: 'Pod', name: x.pod, namespace: ctx.namespace }));
  ctx.log(`starting a debug pod on ${pods.length} node(s)`);
  for (const x of pods) await createTracked(ctx, nodeDebugPod({ name: x.pod, namespace: ctx.namespace, node: x.node, image: ctx.images.agnhost, base }));
  const ready = await waitPodsReady(ctx, pods.map((x) => x.pod), `${LABEL_CHECK}=${base}`, Math.max(5_000, waitMs));
  if (ready.notReady.length) {
    const first = ready.notReady[0]!;
    const node = pods.find((x) => x.pod === first.name)?.node ?? '?';
    return { problem: `debug pod on node ${node} not Ready: ${first.state}${ready.notReady.length > 1 ? ` (+${ready.notReady.length - 1} more nodes)` : ''}`, involved };
  }
  const line = typeof spec.command === 'string' ? spec.command : shellLine(spec.command);
  const argv = onNodeCommand(withNonce(line, ctx.nonce));
  return {
    runners: pods.map((x) => ({ target: x.node, run: (timeoutMs: number) => execOnce(ctx, x.node, { namespace: ctx.namespace, name: x.pod }, argv, timeoutMs) })),
    involved,
  };
}

async function execOnce(ctx: CheckContext, target: string, pod: { namespace: string; name: string; container?: string }, argv: string[], timeoutMs: number): Promise<RunOutput> {
  try {
    const r = await ctx.kube.exec(pod, argv, { timeoutMs, signal: ctx.signal });
    return { target, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    // Forbidden and unreachable are the grader's problem, not the student's: let them be errors.
    if (err instanceof KubeApiError && (err.status === 403 || err.status === 401 || err instanceof ClusterUnreachableError)) throw err;
    // A refused exec upgrade comes back as a bare "Unexpected server response: 403".
    if (err instanceof Error && /Unexpected server response: 40[13]\b/.test(err.message)) {
      throw new KubeApiError(`Pod ${pod.name} (ns ${pod.namespace}): forbidden: exec needs get and create on pods/exec in namespace "${pod.namespace}" (${err.message})`, { status: 403, reason: 'Forbidden', cause: err });
    }
    return { target, stdout: '', stderr: '', error: err instanceof Error ? err.message : String(err) };
  }
}

function outcomeOf(v: ExecVerdict, outputs: RunOutput[], rounds: number, involved: ObjectRef[]): CheckOutcome {
  const evidence: Evidence[] = [
    {
      kind: 'table',
      title: `command results (round ${rounds})`,
      columns: ['target', 'exit', 'stdout (first line)', 'problem'],
      rows: outputs.map((o) => [o.target, o.error ? '-' : String(o.exitCode), (o.stdout.split('\n')[0] ?? '').slice(0, 120), o.error ?? '']),
    },
  ];
  for (const o of outputs) {
    const text = [o.stdout && `stdout:\n${o.stdout}`, o.stderr && `stderr:\n${o.stderr}`].filter(Boolean).join('\n');
    if (text) evidence.push({ kind: 'text', title: `output of ${o.target}`, text: text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n…(cut)` : text });
  }
  if (v.ok) return { status: 'pass', reason: v.line, evidence, assertions: v.assertions };
  return { status: 'fail', reason: v.line, evidence, assertions: v.assertions, involved };
}
