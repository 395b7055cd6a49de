// Pure decision of the `assert` check: from the live candidates to graded
// assertions, a one-line problem, a diff of the asserted fields, and the
// identity (UID, creation time) of what matched. Objects that cannot be live
// (no UID, created in the future, terminating) are refused, so a replayed or
// stale snapshot cannot pass.
import type { AssertSpec } from './spec.ts';
import type { KubeObject } from '../../kube/types.ts';
import type { Assertion } from '../../results/model.ts';
import { matchPartial, prune, type LeafResult } from './match.ts';

/** How far ahead of our clock a creationTimestamp may be (clock skew) before it is refused. */
export const FUTURE_SKEW_MS = 5 * 60_000;

export interface Refusal {
  name: string;
  why: string;
}

export interface Candidate {
  object: KubeObject;
  leaves: LeafResult[];
  matches: boolean;
}

export interface AssertVerdict {
  ok: boolean;
  /** What was looked at, in words: `Pod files (ns lab1)`, `Pods app=web (ns lab1)`. */
  target: string;
  /** One line: the pass summary or the first problem (+N more). */
  line: string;
  assertions: Assertion[];
  candidates: Candidate[];
  refused: Refusal[];
  /** The candidate whose differences are shown (best match, or worst with `all`). */
  shown?: Candidate;
  /** Failed leaves of the shown candidate as `path: expected X, got Y`. */
  diff: string[];
  /** The shown candidate reduced to the asserted fields. */
  pruned?: unknown;
}

export function describeTarget(spec: AssertSpec, namespace: string): string {
  const r = spec.resource;
  const ns = isLikelyClusterScoped(r.kind) ? '' : ` (ns ${r.namespace ?? namespace})`;
  if (r.name) return `${r.kind} ${r.name}${ns}`;
  const sel = [r.labelSelector, r.fieldSelector].filter(Boolean).join(',');
  return `${r.kind}s${sel ? ` ${sel}` : ''}${ns}`;
}

// Only for wording ("(ns x)"); the API decides the real scope.
const CLUSTER_KINDS = new Set(['Node', 'Namespace', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'APIService']);
function isLikelyClusterScoped(kind: string): boolean {
  return CLUSTER_KINDS.has(kind);
}

/** Why an object cannot be a live object of this cluster, or undefined. */
export function refusalOf(o: KubeObject, now: number): string | undefined {
  const m = o.metadata;
  if (!m.uid) return 'not a live object: no metadata.uid';
  if (!m.creationTimestamp) return 'not a live object: no metadata.creationTimestamp';
  const created = Date.parse(m.creationTimestamp);
  if (Number.isNaN(created)) return `not a live object: creationTimestamp ${JSON.stringify(m.creationTimestamp)} is not a time`;
  if (created > now + FUTURE_SKEW_MS) return `created in the future (${m.creationTimestamp})`;
  if (m.deletionTimestamp) return `terminating since ${m.deletionTimestamp}`;
  return undefined;
}

export function evaluateAssert(spec: AssertSpec, objects: KubeObject[], opts: { namespace: string; now: number }): AssertVerdict {
  const target = describeTarget(spec, opts.namespace);
  const refused: Refusal[] = [];
  const live: KubeObject[] = [];
  for (const o of objects) {
    const why = refusalOf(o, opts.now);
    if (why) refused.push({ name: o.metadata.name ?? '?', why });
    else live.push(o);
  }
  const expect = spec.expect ?? {};
  const hasExpect = Object.keys(expect).length > 0;
  const candidates: Candidate[] = live.map((object) => {
    const leaves = hasExpect ? matchPartial(expect, object) : [];
    return { object, leaves, matches: leaves.every((l) => l.passed) };
  });
  const matched = candidates.filter((c) => c.matches);

  // The leaves graded: with `all`, a leaf passes only if it passes on every
  // candidate; otherwise the best candidate's leaves (most passed, first wins).
  let shown: Candidate | undefined;
  let leaves: LeafResult[];
  if (spec.all) {
    shown = candidates.find((c) => !c.matches) ?? candidates[0];
    leaves = candidates.length
      ? candidates[0]!.leaves.map((l, i) => ({ ...l, passed: candidates.every((c) => c.leaves[i]?.passed) }))
      : hasExpect ? matchPartial(expect, undefined) : [];
    if (shown && !shown.matches) leaves = leaves.map((l, i) => (l.passed ? l : { ...l, actual: shown!.leaves[i]?.actual ?? l.actual }));
  } else {
    shown = candidates.reduce<Candidate | undefined>((best, c) => (!best || passedCount(c) > passedCount(best) ? c : best), undefined);
    leaves = shown ? shown.leaves : hasExpect ? matchPartial(expect, undefined) : [];
  }

  // With counts, the counts are what is graded (a leaf failing on one candidate
  // says nothing about "exactly 3 match"); the leaves still make the diff.
  const counted = spec.count !== undefined || spec.minCount !== undefined || spec.maxCount !== undefined;
  const assertions: Assertion[] = (counted && !spec.all ? [] : leaves).map((l) => ({
    name: `${l.path || '(object)'}: ${l.expected}`,
    passed: l.passed,
    ...(l.passed ? {} : { message: `got ${l.actual ?? 'nothing'}` }),
  }));
  const n = matched.length;
  const found = `${n} of ${candidates.length} match`;
  const countProblems: string[] = [];
  const count = (name: string, passed: boolean, want: string) => {
    assertions.push({ name, passed, message: found });
    if (!passed) countProblems.push(`expected ${want}, ${found}`);
  };
  if (spec.count !== undefined) count(`exactly ${spec.count} matching`, n === spec.count, `exactly ${spec.count} matching`);
  if (spec.minCount !== undefined) count(`at least ${spec.minCount} matching`, n >= spec.minCount, `at least ${spec.minCount} matching`);
  if (spec.maxCount !== undefined) count(`at most ${spec.maxCount} matching`, n <= spec.maxCount, `at most ${spec.maxCount} matching`);
  if (spec.all) count('every candidate matches', candidates.length > 0 && n === candidates.length, 'every object to match');
  if (!hasExpect && !counted && !spec.all) assertions.push({ name: 'exists', passed: candidates.length > 0 });
  if (hasExpect && !counted && !spec.all) {
    // "Some candidate matches" is what the leaves of the best candidate say, except
    // when no candidate exists at all: then there is nothing to give credit for.
    if (candidates.length === 0) assertions.forEach((a) => (a.passed = false));
  }

  const ok = assertions.every((a) => a.passed) && (counted || candidates.length > 0);
  const diff = shown ? shown.leaves.filter((l) => !l.passed).map((l) => `${l.path || '(object)'}: expected ${l.expected}, got ${l.actual ?? 'nothing'}`) : [];
  const pruned = shown && hasExpect ? prune(expect, shown.object) : undefined;
  const line = ok ? passLine(target, matched, candidates.length, counted || !!spec.all) : failLine(spec, target, candidates, matched, refused, shown, countProblems);
  return { ok, target, line, assertions, candidates, refused, ...(shown ? { shown } : {}), diff, ...(pruned !== undefined ? { pruned } : {}) };
}

function passedCount(c: Candidate): number {
  return c.leaves.filter((l) => l.passed).length;
}

function passLine(target: string, matched: Candidate[], total: number, counted: boolean): string {
  const first = matched[0]?.object.metadata;
  const id = first ? ` (uid ${first.uid}, created ${first.creationTimestamp})` : '';
  if (matched.length === 1 && !counted) return `${target} matches${id}`;
  return `${target}: ${matched.length} of ${total} match`;
}

function failLine(
  spec: AssertSpec,
  target: string,
  candidates: Candidate[],
  matched: Candidate[],
  refused: Refusal[],
  shown: Candidate | undefined,
  countProblems: string[],
): string {
  const refusedText = refused.length ? `; refused ${refused.map((r) => `${r.name}: ${r.why}`).join(', ')}` : '';
  if (candidates.length === 0) {
    const none = spec.resource.name ? 'not found' : 'no objects found';
    return `${target}: ${none}${refusedText}`;
  }
  const problems = [...countProblems];
  if (shown && !shown.matches) {
    const miss = shown.leaves.filter((l) => !l.passed);
    const who = spec.resource.name && candidates.length === 1 ? '' : `${shown.object.metadata.name}: `;
    if (miss[0]) problems.push(`${who}${miss[0].path || '(object)'}: expected ${miss[0].expected}, got ${miss[0].actual ?? 'nothing'}${miss.length > 1 ? ` (+${miss.length - 1} more)` : ''}`);
  }
  if (problems.length === 0) problems.push(`${matched.length} of ${candidates.length} match`);
  return `${target}: ${problems.join('; ')}${refusedText}`;
}
