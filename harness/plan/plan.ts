// Suite -> Plan: defaults filled, ids, namespaces, deadlines, fixtures rendered.
// Nothing here talks to the cluster.
import path from 'node:path';
import type { LoadedSuite } from '../suite/load.ts';
import { parseDuration } from '../suite/common.ts';
import type { CheckSpec } from '../checks/kinds.ts';
import { loadFixture } from '../suite/fixtures.ts';
import { templateVars } from '../suite/template.ts';
import type { KubeObject } from '../kube/types.ts';
import type { SuiteOutline } from '../results/model.ts';
import { LABEL_MANAGED, LABEL_RUN, LABEL_SUITE, suiteNamespace } from './ids.ts';
import { isClusterScoped } from './scope.ts';
import { chooseChecks, type Selection, type Shard } from './select.ts';

export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;

export type KeepPolicy = 'never' | 'on-failure' | 'always';
export type EvidencePolicy = 'always' | 'failure' | 'never';

export interface RunOptions {
  parallel: number;
  keep: KeepPolicy;
  readOnly: boolean;
  evidence: EvidencePolicy;
  /** Substring or /regex/ matched against `<suite>/<check>`. */
  filter?: string;
  /** CLI override of every check's retries; 0 with --no-retries. */
  retries?: number;
  /** Only these check ids (from --rerun-failed). */
  only?: Set<string>;
  /** --max-wait: cap on the `wait` of assert, exec and http checks. */
  maxWaitMs?: number;
  /** --grep, --grep-invert, -l/--selector (besides `filter`). */
  selection?: Selection;
  /** --shard i/n: this machine's part of the selected checks. */
  shard?: Shard;
}

/** A check ready to run (its report-side view is CheckOutline, from outlineOf). */
export interface PlannedCheck {
  id: string;
  name: string;
  spec: CheckSpec;
  timeoutMs: number;
  retries: number;
  points?: number;
  hint?: string;
  skipReason?: string;
  /** Built-in, suite and check labels, for -l and --list (absent in hand-made plans of tests). */
  labels?: Record<string, string>;
}

export interface PlannedFixture {
  origin: string;
  objects: KubeObject[];
  wait: boolean;
}

export interface PlannedSuite {
  name: string;
  file: string;
  namespace: string;
  fixtures: PlannedFixture[];
  checks: PlannedCheck[];
}

export interface Plan {
  runId: string;
  nonce: string;
  suites: PlannedSuite[];
  options: RunOptions;
  images: { agnhost: string };
}

export interface PlanInput {
  suites: LoadedSuite[];
  runId: string;
  nonce: string;
  options: RunOptions;
  fixturesDir: string;
  images: { agnhost: string };
  /** Labels every check carries by its kind and needs (checks/labels.ts); the plan cannot import checks. */
  builtInLabels?: (spec: CheckSpec, suite: string) => Record<string, string>;
}

export async function buildPlan(input: PlanInput): Promise<Plan> {
  const suites: PlannedSuite[] = [];
  const chosen = chooseChecks(input.suites, input.options, input.builtInLabels);
  for (const loaded of input.suites) {
    const s = loaded.suite;
    const namespace = suiteNamespace(s.name, input.runId);
    const vars = templateVars({ namespace, runId: input.runId, nonce: input.nonce, suite: s.name, agnhostImage: input.images.agnhost }, s.vars ?? {});
    const suiteTimeout = s.timeout ? parseDuration(s.timeout) : DEFAULT_CHECK_TIMEOUT_MS;
    const checks: PlannedCheck[] = [];
    for (const spec of s.checks) {
      const name = spec.name ?? spec.kind;
      const id = `${s.name}/${name}`;
      const labels = chosen.get(id);
      if (!labels) continue;
      checks.push({
        id,
        name,
        spec,
        timeoutMs: spec.timeout ? parseDuration(spec.timeout) : suiteTimeout,
        retries: input.options.retries ?? spec.retries ?? s.retries ?? 0,
        ...(spec.points !== undefined ? { points: spec.points } : {}),
        ...(spec.hint !== undefined ? { hint: spec.hint } : {}),
        ...(spec.skip ? { skipReason: typeof spec.skip === 'string' ? spec.skip : 'skipped by the suite' } : {}),
        labels,
      });
    }
    if (checks.length === 0) continue;
    const fixtures: PlannedFixture[] = [];
    for (const [i, f] of (s.fixtures ?? []).entries()) {
      const origin = loaded.fixtureOrigins[i];
      const objects = await loadFixture(f, { suiteDir: loaded.dir, fixturesDir: input.fixturesDir, vars, ...(origin ? { origin } : {}) });
      fixtures.push({
        origin: 'file' in f ? f.file : `${path.basename(loaded.file)} (inline)`,
        objects: objects.map((o) => stamp(o, namespace, input.runId, s.name)),
        wait: f.wait ?? true,
      });
    }
    suites.push({ name: s.name, file: loaded.file, namespace, fixtures, checks });
  }
  return { runId: input.runId, nonce: input.nonce, suites, options: input.options, images: input.images };
}

/** What reports are told before the run: each suite's checks, their kind, attempts and points. */
export function outlineOf(plan: Pick<Plan, 'suites'>): SuiteOutline[] {
  return plan.suites.map((s) => ({
    name: s.name,
    file: s.file,
    checks: s.checks.map((c) => ({ id: c.id, name: c.name, kind: c.spec.kind, maxAttempts: c.retries + 1, ...(c.points !== undefined ? { points: c.points } : {}) })),
  }));
}

/** Put the object in the suite's namespace and label it with the run, for cleanup by label. */
function stamp(o: KubeObject, namespace: string, runId: string, suite: string): KubeObject {
  const labels = { ...(o.metadata.labels ?? {}), [LABEL_RUN]: runId, [LABEL_SUITE]: suite, [LABEL_MANAGED]: 'kconform' };
  const metadata = { ...o.metadata, labels };
  if (!isClusterScoped(o.kind) && !metadata.namespace) metadata.namespace = namespace;
  return { ...o, metadata };
}
