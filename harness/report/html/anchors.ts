// Stable, unique fragment ids for suites and checks, so the summary can link to
// them and a grader can send a link to one failing check.
import type { CheckResult, RunResult, SuiteResult } from '../../results/model.ts';

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

export interface Anchors {
  suite(s: SuiteResult): string;
  check(c: CheckResult): string;
}

export function anchorsOf(run: RunResult): Anchors {
  const taken = new Set<string>();
  const ids = new Map<object, string>();
  const claim = (owner: object, base: string): void => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    ids.set(owner, id);
  };
  for (const s of run.suites) {
    claim(s, `suite-${slug(s.name)}`);
    for (const c of s.checks) claim(c, `check-${slug(s.name)}-${slug(c.name)}`);
  }
  return {
    suite: (s) => ids.get(s) ?? `suite-${slug(s.name)}`,
    check: (c) => ids.get(c) ?? `check-${slug(c.suite)}-${slug(c.name)}`,
  };
}
