// Taint mode verdict: when each pod on the tainted node was evicted (if at
// all), against what its tolerations promise. Pure.

/** none: no toleration (evicted at once); forever: tolerates with no tolerationSeconds; a number: tolerationSeconds. */
export type Tolerance = 'none' | 'forever' | number;

export interface TaintPod {
  name: string;
  tolerance: Tolerance;
}

export interface Eviction {
  name: string;
  /** Milliseconds from the taint's addition to the pod's deletion (first seen with a deletionTimestamp); absent when not evicted. */
  afterMs?: number;
  /** The pod's DisruptionTarget condition reason, when it had one (DeletionByTaintManager). */
  reason?: string;
}

export interface TaintVerdict {
  ok: boolean;
  problems: string[];
  rows: (string | number)[][];
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export function expectation(t: Tolerance): string {
  return t === 'none' ? 'evicted at once' : t === 'forever' ? 'never evicted' : `evicted after ${t}s`;
}

export function evaluateTaint(pods: TaintPod[], seen: Eviction[], opts: { toleranceMs: number; watchedMs: number }): TaintVerdict {
  const problems: string[] = [];
  const rows: (string | number)[][] = [];
  for (const p of pods) {
    const e = seen.find((x) => x.name === p.name);
    const at = e?.afterMs;
    let problem: string | undefined;
    if (p.tolerance === 'forever') {
      if (at !== undefined) problem = `pod ${p.name} tolerates the taint without tolerationSeconds but was evicted after ${s(at)}`;
    } else {
      const want = p.tolerance === 'none' ? 0 : p.tolerance * 1000;
      if (at === undefined) {
        problem = `pod ${p.name} (${p.tolerance === 'none' ? 'no toleration' : `tolerationSeconds ${p.tolerance}`}) was not evicted within ${s(opts.watchedMs)} of the taint`;
      } else if (Math.abs(at - want) > opts.toleranceMs) {
        problem = `pod ${p.name} was evicted after ${s(at)}, expected ${p.tolerance === 'none' ? 'at once' : `about ${p.tolerance}s`} (±${s(opts.toleranceMs)})`;
      }
    }
    if (problem) problems.push(problem);
    rows.push([p.name, expectation(p.tolerance), at === undefined ? `not evicted (watched ${s(opts.watchedMs)})` : `evicted after ${s(at)}`, e?.reason ?? '', problem ? 'no' : 'yes']);
  }
  return { ok: problems.length === 0, problems, rows };
}
